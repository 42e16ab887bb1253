// The chat page: plain DOM and fetch/EventSource against the service's own API, no build step.
//
// How it keeps messages exact:
// - every message shown is keyed by its seq, so one that comes both as the answer to a send and on the stream
//   (echo=true), or again after a reconnect, is shown once; a message still being sent is keyed by its client_id
//   until the server has given it a seq;
// - the stream resumes after the newest seq the page has complete (History, then the stream itself): EventSource
//   sends Last-Event-ID on its own reconnects, and a stream opened anew passes last_event_id;
// - every message gets a fresh client_id, and a failed send is retried with the same one, so it is stored once.
//
// Who the user is: the page asks GET /chat/Session first. 404: the service runs without authentication, and the
// user types a user id, as in development. 200: a cookie session (HttpOnly, so this script never sees the token)
// says who the user is, and every fetch and the EventSource of this origin carry it. 401: the page asks for a token
// (a JWT), trades it for the cookie with POST /chat/Session, and goes on. When the session ends later (the server
// ends a stream when its token expires, or a call answers 401), the page asks again and then goes on where it was:
// the stream resumes after the newest seq it has, and a send waiting for the answer is retried with its client_id.
// Text is only ever set with textContent.
'use strict';

(() => {
    const API = '/chat';
    const PAGE = 50;
    const RECONNECT_MS = 3000;

    const $ = id => document.getElementById(id);
    const ui = {
        signin: $('signin'), signinForm: $('signin-form'), userId: $('user-id'),
        tokenSignin: $('token-signin'), tokenForm: $('token-form'), token: $('token'), tokenWhy: $('token-why'),
        chats: $('chats'), newChatForm: $('new-chat-form'), others: $('others'), chatList: $('chat-list'),
        signout: $('signout'), who: $('who'), state: $('state'),
        chat: $('chat'), back: $('back'), title: $('chat-title'), log: $('log'), older: $('older'),
        messages: $('messages'), composer: $('composer'), text: $('text'), error: $('error'),
        // message life (issue 15)
        lifeBar: $('life-bar'), lifeWhat: $('life-what'), lifeCancel: $('life-cancel'),
        searchForm: $('search-form'), searchQuery: $('search-query'), results: $('results'),
    };

    let me = null;
    /** 'off' (no key configured: the user names themselves), 'on' (a cookie session), or null until known. */
    let auth = null;
    /** The signed-in session's namespace (auth on), so that chats remembered in one tenant stay in it. */
    let tenant = null;
    /** While the page waits for a token: {promise, resolve}, resolved once signed in again; else null. */
    let signingIn = null;
    /** The section shown when the page is not asking for a token. */
    let shown = null;
    /** The open chat: {id, title, source, cursor, oldest, bySeq, byClientId, reconnect} or null. */
    let chat = null;

    // --- the API -------------------------------------------------------------------------------------------

    class ApiError extends Error {
        constructor(status, body) {
            super(body && body.detail ? body.detail : `HTTP ${status}`);
            this.status = status;
            this.id = body && body.id;
        }
    }

    async function answer(response) {
        let json = null;
        try {
            json = await response.json();
        } catch (notJson) {
            json = null;
        }
        if (!response.ok) {
            throw new ApiError(response.status, json);
        }
        return json;
    }

    /**
     * One call of the API. With a session, a 401 (the session ended) asks for a token and then makes the same call
     * again, so that nothing the user did is lost.
     */
    async function call(name, body) {
        for (;;) {
            const response = await fetch(`${API}/${name}`, {
                method: 'POST',
                headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
                body: JSON.stringify(body),
            });
            if (response.status === 401 && auth === 'on') {
                await signInAgain('Your session has ended: sign in again to go on.');
                continue;
            }
            return answer(response);
        }
    }

    /** GET /chat/Session: the session, or an ApiError (404 while authentication is off, 401 without a session). */
    async function session() {
        return answer(await fetch(`${API}/Session`, {headers: {'Accept': 'application/json'}}));
    }

    function newClientId() {
        if (window.crypto && crypto.randomUUID) {
            return crypto.randomUUID();
        }
        // crypto.randomUUID needs a secure context (https or localhost); getRandomValues does not.
        const bytes = crypto.getRandomValues(new Uint8Array(16));
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        const hex = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }

    const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

    // --- what is shown -------------------------------------------------------------------------------------

    function showError(error) {
        ui.error.textContent = error ? (error.message || String(error)) : '';
        ui.error.hidden = !error;
    }

    function setState(state) {
        ui.state.dataset.state = state;
        ui.state.textContent = state;
    }

    /** Shows one section; while the page asks for a token, only once it has one. */
    function show(section) {
        shown = section;
        const asking = !ui.tokenSignin.hidden;
        for (const s of [ui.signin, ui.chats, ui.chat]) {
            s.hidden = asking || s !== section;
        }
    }

    function timeOf(message) {
        if (!message.sent_at) {
            return '';
        }
        return new Date(message.sent_at * 1000).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
    }

    function render(item, message) {
        item.className = 'message';
        item.classList.toggle('mine', message.user_id === me);
        item.classList.toggle('pending', !message.seq);
        if (message.seq) {
            item.dataset.seq = String(message.seq);
        }
        item.dataset.clientId = message.client_id || '';
        const meta = document.createElement('div');
        meta.className = 'meta';
        meta.textContent = message.seq
            ? `${message.user_id} \u00b7 ${timeOf(message)}`
            : `${message.user_id} \u00b7 sending\u2026`;
        const text = document.createElement('div');
        text.className = 'text';
        text.textContent = message.text;
        item.replaceChildren(meta, text);
        life.decorate(item, message);
    }

    /** Places an item with a seq among the others by seq; items still sending stay at the end. */
    function place(item, seq) {
        let before = null;
        for (const other of ui.messages.children) {
            const otherSeq = Number(other.dataset.seq || Infinity);
            if (otherSeq > seq) {
                before = other;
                break;
            }
        }
        ui.messages.insertBefore(item, before);
    }

    /** Shows a message once: by seq when it has one, else (still sending) by client_id. */
    function showMessage(message) {
        if (!chat || message.chat_id && message.chat_id !== chat.id) {
            return;
        }
        if (message.seq && chat.bySeq.has(message.seq)) {
            return;
        }
        const atBottom = ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 40;
        let item = message.client_id && message.user_id === me ? chat.byClientId.get(message.client_id) : null;
        if (!item) {
            item = document.createElement('li');
            if (message.client_id && message.user_id === me) {
                chat.byClientId.set(message.client_id, item);
            }
        }
        render(item, message);
        if (message.seq) {
            chat.bySeq.set(message.seq, item);
            if (message.client_id) {
                chat.byClientId.delete(message.client_id);
            }
            place(item, message.seq);
            chat.oldest = chat.oldest ? Math.min(chat.oldest, message.seq) : message.seq;
        } else {
            ui.messages.appendChild(item);
        }
        if (atBottom || message.user_id === me) {
            ui.log.scrollTop = ui.log.scrollHeight;
        }
    }

    // --- signing in and the list of chats -----------------------------------------------------------------

    function chatsKey() {
        return tenant ? `chat.chats.${tenant}/${me}` : `chat.chats.${me}`;
    }

    function knownChats() {
        try {
            return JSON.parse(localStorage.getItem(chatsKey())) || [];
        } catch (broken) {
            return [];
        }
    }

    function remember(id, title) {
        const chats = knownChats().filter(c => c.id !== id);
        chats.unshift({id, title});
        localStorage.setItem(chatsKey(), JSON.stringify(chats.slice(0, 50)));
    }

    function listChats() {
        const items = knownChats().map(c => {
            const item = document.createElement('li');
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = c.title;
            button.addEventListener('click', () => openChat(c.id, c.title));
            item.appendChild(button);
            return item;
        });
        ui.chatList.replaceChildren(...items);
    }

    function signIn(userId) {
        me = userId;
        if (auth === 'off') {
            localStorage.setItem('chat.me', me);
        }
        ui.who.textContent = me;
        listChats();
        show(ui.chats);
        ui.others.focus();
    }

    function signOut() {
        closeChat();
        me = null;
        ui.who.textContent = '';
        if (auth === 'on') {
            tenant = null;
            location.hash = '';
            fetch(`${API}/Session`, {method: 'DELETE'}).catch(showError);
            signInAgain(null);
            return;
        }
        localStorage.removeItem('chat.me');
        show(ui.signin);
        ui.userId.focus();
    }

    /**
     * Asks for a token (once, however many calls wait for it); the promise resolves when the page is signed in
     * again. `why` says why it asks (null: the first time).
     */
    function signInAgain(why) {
        if (!signingIn) {
            let resolve;
            const promise = new Promise(done => {
                resolve = done;
            });
            signingIn = {promise, resolve};
            ui.tokenWhy.textContent = why || 'Paste a token (a JWT) that this service accepts.';
            ui.tokenSignin.hidden = false;
            show(shown);
            ui.token.focus();
        }
        return signingIn.promise;
    }

    /** Trades the token for the session cookie, then goes on as the session's user. */
    async function startSession(token) {
        await answer(await fetch(`${API}/Session`, {
            method: 'POST',
            headers: {'Authorization': `Bearer ${token}`, 'Accept': 'application/json'},
        }));
        signedIn(await session());
    }

    function signedIn(started) {
        const waiting = signingIn;
        signingIn = null;
        ui.tokenSignin.hidden = true;
        ui.token.value = '';
        showError(null);
        if (started.user_id === me && started.namespace === tenant) {
            show(shown);
        } else {
            // Someone else (or the first sign-in): start from their list, or from the chat the address names.
            closeChat();
            tenant = started.namespace;
            signIn(started.user_id);
            openFromAddress();
        }
        if (waiting) {
            waiting.resolve();
        }
    }

    /** Opens the chat named in the address (#<chat id>), if any. */
    function openFromAddress() {
        const id = location.hash.slice(1);
        if (id) {
            const known = knownChats().find(c => c.id === id);
            openChat(id, known ? known.title : id).catch(error => {
                show(ui.chats);
                showError(error);
            });
        }
    }

    async function startChat(others) {
        const users = [...new Set([me, ...others])];
        const {chat_id: id} = await call('New', {user_ids: users});
        const title = users.filter(u => u !== me).join(', ') || me;
        remember(id, title);
        await openChat(id, title);
    }

    // --- one chat: history, stream, sending ----------------------------------------------------------------

    async function openChat(id, title) {
        closeChat();
        chat = {id, title, source: null, cursor: 0, oldest: 0, bySeq: new Map(), byClientId: new Map(),
            reconnect: null};
        location.hash = id;
        ui.title.textContent = title;
        ui.messages.replaceChildren();
        ui.older.hidden = true;
        show(ui.chat);
        showError(null);
        const opened = chat;
        const {messages} = await call('History', {chat_id: id, user_id: me, limit: PAGE});
        if (chat !== opened) {
            return;
        }
        messages.forEach(showMessage);
        if (messages.length) {
            chat.cursor = messages[messages.length - 1].seq;
        }
        ui.older.hidden = messages.length < PAGE || chat.oldest <= 1;
        ui.log.scrollTop = ui.log.scrollHeight;
        connect(opened);
        ui.text.focus();
    }

    async function loadOlder() {
        const opened = chat;
        const {messages} = await call('History', {chat_id: opened.id, user_id: me, limit: PAGE,
            before: opened.oldest});
        if (chat !== opened) {
            return;
        }
        const height = ui.log.scrollHeight;
        messages.forEach(showMessage);
        ui.log.scrollTop += ui.log.scrollHeight - height;
        ui.older.hidden = messages.length < PAGE || chat.oldest <= 1;
    }

    function connect(opened) {
        if (chat !== opened) {
            return;
        }
        const url = new URL(`${API}/Connect`, location.href);
        url.searchParams.set('chat_id', opened.id);
        url.searchParams.set('user_id', me);
        url.searchParams.set('echo', 'true');
        // Always given, 0 included: without it the stream would start at the chat's newest message, and one
        // committed between the History call and this connect would be missed.
        url.searchParams.set('last_event_id', String(opened.cursor));
        const source = new EventSource(url);
        opened.source = source;
        setState('connecting');
        source.addEventListener('open', () => setState('live'));
        source.addEventListener('message', event => {
            const message = JSON.parse(event.data);
            opened.cursor = Math.max(opened.cursor, message.seq);
            showMessage(message);
        });
        life.listen(source, opened);
        source.addEventListener('error', () => {
            if (source.readyState === EventSource.CLOSED) {
                // The browser gave up (an error answer, or a proxy in the way): open a new stream later, from
                // the newest seq the page has.
                setState('offline');
                source.close();
                reconnect(opened);
            } else {
                setState('reconnecting');
            }
        });
    }

    /**
     * Opens the stream again after the browser gave up on it. EventSource does not tell why; with a session, the
     * usual reason is that it ended (its token expired, so the server ended the stream and refused the browser's
     * reconnect): then the page asks for a token first.
     */
    async function reconnect(opened) {
        if (auth === 'on') {
            try {
                await session();
            } catch (error) {
                if (error instanceof ApiError && error.status === 401 && chat === opened) {
                    await signInAgain('Your session has ended: sign in again to follow the chat.');
                    connect(opened);
                    return;
                }
            }
        }
        opened.reconnect = setTimeout(() => connect(opened), RECONNECT_MS);
    }

    function closeChat() {
        if (chat) {
            clearTimeout(chat.reconnect);
            if (chat.source) {
                chat.source.close();
            }
        }
        chat = null;
        setState('idle');
    }

    /** Sends one message; retries with the same client_id until the server has it or refuses it. */
    async function send(text) {
        if (life.editing()) {
            return life.submitEdit(text);
        }
        const opened = chat;
        const clientId = newClientId();
        const replyTo = life.takeReply();
        showMessage({chat_id: opened.id, client_id: clientId, user_id: me, text, reply_to: replyTo});
        for (let attempt = 0; chat === opened; attempt++) {
            try {
                const {message} = await call('Send', {chat_id: opened.id, user_id: me, client_id: clientId, text,
                    reply_to: replyTo});
                showError(null);
                showMessage(message);
                return;
            } catch (error) {
                if (chat !== opened) {
                    return;
                }
                if (error instanceof ApiError && error.status < 500) {
                    const item = opened.byClientId.get(clientId);
                    if (item) {
                        item.classList.add('failed');
                        item.querySelector('.meta').textContent = `${me} \u00b7 not sent: ${error.message}`;
                    }
                    showError(error);
                    return;
                }
                showError(new Error('not connected; retrying\u2026'));
                await sleep(Math.min(500 * 2 ** attempt, 5000));
            }
        }
    }

    // --- message life (issue 15): edit, delete, react, reply, search --------------------------------------------
    //
    // The page keeps each shown message by id; a change event (edited, deleted, reaction) of the stream updates
    // it and renders it again. Change events have seqs of the chat's one sequence too, so the cursor the stream
    // resumes from moves past them: a reconnect replays exactly the changes the page has not applied.

    const EMOJI = ['\u{1F44D}', '\u2764\uFE0F', '\u{1F602}', '\u{1F389}', '\u{1F62E}'];

    const life = (() => {
        /** message id -> the message as last shown (current state), for the open chat. */
        let byId = new Map();
        let forChat = null;
        /** {mode: 'reply'|'edit', message} while the composer replies to or edits a message; else null. */
        let pending = null;

        function known(message) {
            if (forChat !== chat) {
                byId = new Map();
                forChat = chat;
            }
            if (message.id) {
                byId.set(message.id, message);
            }
        }

        function button(label, title, onClick) {
            const b = document.createElement('button');
            b.type = 'button';
            b.className = 'quiet life-action';
            b.textContent = label;
            b.title = title;
            b.addEventListener('click', () => onClick().catch(showError));
            return b;
        }

        function decorate(item, message) {
            known(message);
            if (!message.id || !message.seq) {
                return;
            }
            item.dataset.id = message.id;
            const meta = item.querySelector('.meta');
            const text = item.querySelector('.text');
            if (message.reply_to) {
                const quoted = byId.get(message.reply_to);
                const quote = document.createElement('blockquote');
                quote.className = 'quote';
                quote.textContent = quoted
                    ? (quoted.deleted ? 'deleted message' : `${quoted.user_id}: ${quoted.text}`)
                    : 'an earlier message';
                item.insertBefore(quote, text);
            }
            if (message.deleted) {
                item.classList.add('deleted');
                text.textContent = 'message deleted';
                return;
            }
            if (message.edited_at) {
                const edited = document.createElement('span');
                edited.className = 'edited';
                edited.textContent = ' \u00b7 edited';
                meta.appendChild(edited);
            }
            const reactions = document.createElement('div');
            reactions.className = 'reactions';
            for (const r of message.reactions || []) {
                const b = button(`${r.emoji} ${r.count}`, r.mine ? 'take back your reaction' : 'react too',
                    () => react(message, r.emoji, !r.mine));
                b.classList.add('reaction');
                b.classList.toggle('mine', r.mine);
                reactions.appendChild(b);
            }
            const actions = document.createElement('div');
            actions.className = 'actions';
            for (const emoji of EMOJI) {
                const own = (message.reactions || []).find(r => r.emoji === emoji && r.mine);
                if (!own) {
                    actions.appendChild(button(emoji, `react with ${emoji}`, () => react(message, emoji, true)));
                }
            }
            actions.appendChild(button('Reply', 'reply to this message', async () => startReply(message)));
            if (message.user_id === me) {
                actions.appendChild(button('Edit', 'edit your message', async () => startEdit(message)));
                actions.appendChild(button('Delete', 'delete your message', () => remove(message)));
            }
            item.append(reactions, actions);
        }

        /** Renders a known message again in its current state. */
        function update(message) {
            known(message);
            const item = chat && message.seq ? chat.bySeq.get(message.seq) : null;
            if (item) {
                render(item, message);
            }
            // replies quoting it show its new text
            for (const other of byId.values()) {
                if (other.reply_to === message.id && chat && chat.bySeq.get(other.seq)) {
                    render(chat.bySeq.get(other.seq), other);
                }
            }
        }

        async function react(message, emoji, on) {
            const answer = await call('React', {chat_id: chat.id, user_id: me, message_id: message.id, emoji, on});
            update(answer.message);
        }

        async function remove(message) {
            const answer = await call('DeleteMessage', {chat_id: chat.id, user_id: me, message_id: message.id});
            update(answer.message);
        }

        function showPending() {
            ui.lifeBar.hidden = !pending;
            if (pending) {
                ui.lifeWhat.textContent = pending.mode === 'edit'
                    ? 'Editing your message'
                    : `Replying to ${pending.message.user_id}: ${pending.message.text}`;
            }
        }

        function startReply(message) {
            pending = {mode: 'reply', message};
            showPending();
            ui.text.focus();
        }

        function startEdit(message) {
            pending = {mode: 'edit', message};
            ui.text.value = message.text;
            showPending();
            ui.text.focus();
        }

        function cancel() {
            if (pending && pending.mode === 'edit') {
                ui.text.value = '';
            }
            pending = null;
            showPending();
        }

        function editing() {
            return pending && pending.mode === 'edit';
        }

        /** The message the next send replies to (and no longer), or undefined. */
        function takeReply() {
            if (!pending || pending.mode !== 'reply') {
                return undefined;
            }
            const id = pending.message.id;
            pending = null;
            showPending();
            return id;
        }

        async function submitEdit(text) {
            const {message} = pending;
            pending = null;
            showPending();
            try {
                const answer = await call('Edit', {chat_id: chat.id, user_id: me, message_id: message.id, text});
                update(answer.message);
            } catch (error) {
                showError(error);
            }
        }

        /** Applies a change event of the stream to the message it changes. */
        function apply(kind, data) {
            const message = byId.get(data.message_id);
            if (!message) {
                return;
            }
            const changed = {...message};
            if (kind === 'edited') {
                changed.text = data.text;
                changed.subject = data.subject;
                changed.edited_at = data.edited_at;
            } else if (kind === 'deleted') {
                changed.deleted = true;
                changed.text = '';
                changed.subject = '';
                changed.reactions = undefined;
            } else if (kind === 'reaction') {
                const reactions = (message.reactions || []).map(r => ({...r}));
                let r = reactions.find(x => x.emoji === data.emoji);
                if (!r) {
                    r = {emoji: data.emoji, count: 0, mine: false};
                    reactions.push(r);
                }
                r.count = data.count;
                if (data.user_id === me) {
                    r.mine = data.on;
                }
                changed.reactions = reactions.filter(x => x.count > 0);
            }
            update(changed);
        }

        function listen(source, opened) {
            for (const kind of ['edited', 'deleted', 'reaction']) {
                source.addEventListener(kind, event => {
                    if (chat !== opened) {
                        return;
                    }
                    const data = JSON.parse(event.data);
                    opened.cursor = Math.max(opened.cursor, data.seq);
                    apply(kind, data);
                });
            }
        }

        async function search(query) {
            const {messages} = await call('Search', {user_id: me, query, chat_id: chat ? chat.id : undefined});
            const items = messages.map(m => {
                const li = document.createElement('li');
                li.className = 'result';
                li.textContent = `${m.user_id} \u00b7 ${timeOf(m)}: ${m.text}`;
                return li;
            });
            if (!items.length) {
                const li = document.createElement('li');
                li.className = 'result none';
                li.textContent = 'nothing found';
                items.push(li);
            }
            ui.results.replaceChildren(...items);
            ui.results.hidden = false;
        }

        ui.lifeCancel.addEventListener('click', cancel);
        ui.searchForm.addEventListener('submit', event => {
            event.preventDefault();
            const query = ui.searchQuery.value.trim();
            if (query) {
                search(query).catch(showError);
            } else {
                ui.results.hidden = true;
            }
        });

        return {decorate, listen, editing, submitEdit, takeReply};
    })();

    // --- wiring ----------------------------------------------------------------------------------------------

    ui.signinForm.addEventListener('submit', event => {
        event.preventDefault();
        const userId = ui.userId.value.trim();
        if (userId) {
            signIn(userId);
        }
    });

    ui.newChatForm.addEventListener('submit', event => {
        event.preventDefault();
        const others = ui.others.value.split(',').map(s => s.trim()).filter(Boolean);
        startChat(others).then(() => {
            ui.others.value = '';
        }, showError);
    });

    ui.tokenForm.addEventListener('submit', event => {
        event.preventDefault();
        const token = ui.token.value.trim();
        if (token) {
            startSession(token).catch(showError);
        }
    });

    ui.signout.addEventListener('click', signOut);

    ui.back.addEventListener('click', () => {
        closeChat();
        location.hash = '';
        listChats();
        show(ui.chats);
    });

    ui.older.addEventListener('click', () => loadOlder().catch(showError));

    ui.composer.addEventListener('submit', event => {
        event.preventDefault();
        const text = ui.text.value;
        if (!text.trim() || !chat) {
            return;
        }
        ui.text.value = '';
        send(text);
    });

    ui.text.addEventListener('keydown', event => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            ui.composer.requestSubmit();
        }
    });

    // The browser's back and forward buttons move between the list and the chats.
    window.addEventListener('hashchange', () => {
        const id = location.hash.slice(1);
        if (!me || (chat && chat.id === id)) {
            return;
        }
        if (!id) {
            closeChat();
            listChats();
            show(ui.chats);
            return;
        }
        const known = knownChats().find(c => c.id === id);
        openChat(id, known ? known.title : id).catch(showError);
    });

    /** Without authentication, as in development: the user names themselves, and the page remembers it. */
    function startWithoutAuthentication() {
        auth = 'off';
        const saved = localStorage.getItem('chat.me');
        if (saved) {
            signIn(saved);
            openFromAddress();
        } else {
            show(ui.signin);
            ui.userId.focus();
        }
    }

    /** Asks the service who the user is: no sessions (authentication off), a session, or none yet. */
    async function start() {
        try {
            const current = await session();
            auth = 'on';
            ui.signout.textContent = 'Sign out';
            signedIn(current);
        } catch (error) {
            if (error instanceof ApiError && error.status === 404) {
                startWithoutAuthentication();
            } else if (error instanceof ApiError && error.status === 401) {
                auth = 'on';
                ui.signout.textContent = 'Sign out';
                signInAgain(null);
            } else {
                showError(new Error(`cannot reach the service (${error.message}); trying again\u2026`));
                setTimeout(start, RECONNECT_MS);
            }
        }
    }

    start();
})();
