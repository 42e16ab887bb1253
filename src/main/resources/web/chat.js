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
//
// Conversations (issue 14): the list of chats is List (unread badges, newest first), asked again when the list is
// shown, every few seconds while it is, and when a message arrives on the open chat's stream. In a chat, the stream's
// membership events (seqs of the chat's sequence) show as small lines of the log, and its moments (read, typing,
// presence; no seq) as read ticks on the user's own messages, "… is typing" and a presence dot. The page calls Read
// with the newest seq it shows while the chat is open and visible, and Typing while the user types.
'use strict';

(() => {
    const API = '/chat';
    const PAGE = 50;
    const RECONNECT_MS = 3000;
    const LIST_EVERY_MS = 4000;
    const TYPING_EVERY_MS = 2000;
    const TYPING_LAPSE_MS = 6000;

    const $ = id => document.getElementById(id);
    const ui = {
        signin: $('signin'), signinForm: $('signin-form'), userId: $('user-id'),
        tokenSignin: $('token-signin'), tokenForm: $('token-form'), token: $('token'), tokenWhy: $('token-why'),
        chats: $('chats'), newChatForm: $('new-chat-form'), others: $('others'), chatList: $('chat-list'),
        newGroupForm: $('new-group-form'), groupName: $('group-name'), groupMembers: $('group-members'),
        signout: $('signout'), who: $('who'), state: $('state'),
        chat: $('chat'), back: $('back'), title: $('chat-title'), log: $('log'), older: $('older'),
        messages: $('messages'), composer: $('composer'), text: $('text'), error: $('error'),
        // conversations (issue 14)
        presence: $('presence'), groupBar: $('group-bar'), inviteForm: $('invite-form'), inviteIds: $('invite-ids'),
        leave: $('leave'), typing: $('typing'),
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
    /**
     * The open chat: {id, title, source, cursor, oldest, bySeq, byClientId, reconnect} and, for conversations,
     * {info, members, markers, presence, typists, events, readSent, typingOn, typingSentAt, typingCalls}; or null.
     */
    let chat = null;
    /** The user's chats as List last answered them, newest first, and by chat id. */
    let listed = [];
    let byChatId = new Map();
    /** The List call under way, if any (a second asker waits for it rather than asking again). */
    let listing = null;

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
            const response = await post(name, body);
            if (response.status === 401 && auth === 'on') {
                await signInAgain('Your session has ended: sign in again to go on.');
                continue;
            }
            return answer(response);
        }
    }

    function post(name, body) {
        return fetch(`${API}/${name}`, {
            method: 'POST',
            headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
            body: JSON.stringify(body),
        });
    }

    /**
     * A call the page makes on its own (Read, Typing, List on a timer): once, and with an ended session it answers
     * null rather than asking for a token in the middle of what the user does; the next user action or the stream
     * asks.
     */
    async function background(name, body) {
        const response = await post(name, body);
        if (response.status === 401 && auth === 'on') {
            return null;
        }
        return answer(response);
    }

    /** A background call's failure: the API's answers are shown; a network failure is the stream state's to show. */
    function backgroundError(error) {
        if (error instanceof ApiError) {
            showError(error);
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
        if (message.user_id === me && message.seq) {
            const tick = document.createElement('span');
            tick.className = 'tick';
            meta.appendChild(tick);
            showTick(item);
        }
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

    /** How a chat is named: a group by its name, a direct chat by its other users. */
    function titleOf(info) {
        if (info.kind === 'group') {
            return info.name || 'group';
        }
        return (info.user_ids || []).filter(u => u !== me).join(', ') || me;
    }

    /** Asks List for the user's chats and shows them; one call at a time. `quiet`: a call of the page's own. */
    function refreshList(quiet) {
        if (!listing) {
            const asking = me;
            listing = (quiet ? background : call)('List', {user_id: me}).then(answered => {
                if (answered && me === asking) {
                    listed = answered.chats;
                    byChatId = new Map(listed.map(entry => [entry.chat.chat_id, entry]));
                    if (shown === ui.chats) {
                        listChats();
                    }
                    // An open chat's members then follow its stream's events, which a List asked earlier may
                    // not have seen yet.
                    if (chat && !chat.info && byChatId.has(chat.id)) {
                        setInfo(chat, byChatId.get(chat.id).chat);
                    }
                }
            }).finally(() => {
                listing = null;
            });
        }
        return listing;
    }

    /** Shows the chats as List last answered them: name, unread badge (none at 0), newest message. */
    function listChats() {
        const items = listed.map(entry => {
            const info = entry.chat;
            const item = document.createElement('li');
            item.dataset.chatId = info.chat_id;
            item.classList.toggle('group', info.kind === 'group');
            const button = document.createElement('button');
            button.type = 'button';
            const name = document.createElement('span');
            name.className = 'name';
            name.textContent = titleOf(info);
            const badge = document.createElement('span');
            badge.className = 'badge';
            badge.textContent = String(entry.unread || 0);
            badge.title = `${entry.unread || 0} unread`;
            badge.hidden = !entry.unread;
            const last = document.createElement('span');
            last.className = 'last';
            const message = entry.last_message;
            last.textContent = message ? `${message.user_id}: ${message.text}`
                : (info.kind === 'group' ? `group of ${(info.user_ids || []).length}` : 'no messages yet');
            button.append(name, badge, last);
            button.addEventListener('click', () => openChat(info.chat_id).catch(showError));
            item.appendChild(button);
            return item;
        });
        ui.chatList.replaceChildren(...items);
    }

    /** Shows the list, as last known and then as List answers now. */
    function showList() {
        closeChat();
        listChats();
        show(ui.chats);
        refreshList(false).catch(showError);
    }

    function signIn(userId) {
        me = userId;
        if (auth === 'off') {
            localStorage.setItem('chat.me', me);
        }
        ui.who.textContent = me;
        listed = [];
        byChatId = new Map();
        showList();
        ui.others.focus();
    }

    function signOut() {
        closeChat();
        me = null;
        listed = [];
        byChatId = new Map();
        ui.chatList.replaceChildren();
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
            openChat(id).catch(error => {
                show(ui.chats);
                showError(error);
            });
        }
    }

    async function startChat(others) {
        const users = [...new Set([me, ...others])];
        const {chat_id: id} = await call('New', {user_ids: users});
        if (!byChatId.has(id)) {
            byChatId.set(id, {chat: {chat_id: id, kind: 'direct', user_ids: users}, unread: 0});
        }
        await openChat(id);
    }

    /** Create: a named group of the user and the others; opens it. */
    async function createGroup(name, others) {
        const {chat: info} = await call('Create', {user_id: me, name, user_ids: others, client_id: newClientId()});
        byChatId.set(info.chat_id, {chat: info, unread: 0, last_read_seq: 0});
        await openChat(info.chat_id);
    }

    // --- one chat: history, stream, sending ----------------------------------------------------------------

    async function openChat(id) {
        closeChat();
        chat = {id, title: id, source: null, cursor: 0, oldest: 0, bySeq: new Map(), byClientId: new Map(),
            reconnect: null, info: null, members: new Set(), markers: new Map(), presence: new Map(),
            typists: new Map(), events: new Set(), readSent: 0, typingOn: false, typingSentAt: 0,
            typingCalls: Promise.resolve()};
        location.hash = id;
        ui.title.textContent = id;
        ui.messages.replaceChildren();
        ui.older.hidden = true;
        ui.groupBar.hidden = true;
        ui.presence.hidden = true;
        showTyping(chat);
        show(ui.chat);
        showError(null);
        const opened = chat;
        if (byChatId.has(id)) {
            setInfo(opened, byChatId.get(id).chat);
        } else {
            await refreshList(false);
            if (chat !== opened) {
                return;
            }
            if (byChatId.has(id)) {
                setInfo(opened, byChatId.get(id).chat);
            }
        }
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
        markRead(opened);
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
            if (message.user_id !== me) {
                typingEvent(opened, {user_id: message.user_id, typing: false});
            }
            markRead(opened);
            refreshList(true).catch(backgroundError);
        });
        life.listen(source, opened);
        listenToTalk(source, opened);
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
            stopTyping();
            clearTimeout(chat.reconnect);
            for (const lapse of chat.typists.values()) {
                clearTimeout(lapse);
            }
            if (chat.source) {
                chat.source.close();
            }
        }
        ui.typing.hidden = true;
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

    // --- conversations (issue 14): members, read ticks, typing, presence ---------------------------------------
    //
    // Membership events have seqs of the chat's one sequence (a resumed stream replays them with the messages); read,
    // typing and presence are moments without a seq, and a stream starts with the other members' read markers and
    // presence, so the page needs no other call to know them.

    const MEMBERSHIP = ['created', 'joined', 'left', 'kicked', 'chat_deleted'];

    /** Takes what List (or Create, Invite) says of the open chat: its name, kind and members. */
    function setInfo(opened, info) {
        opened.info = info;
        opened.title = titleOf(info);
        opened.members = new Set(info.user_ids || []);
        if (chat === opened) {
            ui.title.textContent = opened.title;
            ui.groupBar.hidden = info.kind !== 'group';
            showPresence(opened);
        }
    }

    /** The others whose read marker is at or past this seq. */
    function readersOf(opened, seq) {
        return [...opened.markers].filter(([user, marker]) => user !== me && marker >= seq).map(([user]) => user);
    }

    /** One tick on a message of mine the server has; two (and class "read") once another member has read it. */
    function showTick(item) {
        const tick = item.querySelector('.tick');
        if (!tick || !chat) {
            return;
        }
        const readers = readersOf(chat, Number(item.dataset.seq));
        item.classList.toggle('read', readers.length > 0);
        tick.textContent = readers.length ? '\u2713\u2713' : '\u2713';
        tick.title = readers.length ? `read by ${readers.join(', ')}` : 'sent';
    }

    function readEvent(opened, data) {
        if (data.user_id === me) {
            return;
        }
        opened.markers.set(data.user_id, Math.max(opened.markers.get(data.user_id) || 0, data.seq));
        for (const item of ui.messages.querySelectorAll('li.mine[data-seq]')) {
            showTick(item);
        }
    }

    /** Moves the user's read marker to the newest seq shown, while the chat is open and seen; once per seq. */
    function markRead(opened) {
        if (chat !== opened || shown !== ui.chat || !ui.tokenSignin.hidden || document.visibilityState !== 'visible'
            || opened.cursor <= opened.readSent) {
            return;
        }
        const before = opened.readSent;
        const seq = opened.cursor;
        opened.readSent = seq;
        background('Read', {chat_id: opened.id, user_id: me, seq}).then(answered => {
            if (!answered && opened.readSent === seq) {
                opened.readSent = before;
            }
        }, error => {
            if (opened.readSent === seq) {
                opened.readSent = before;
            }
            backgroundError(error);
        });
    }

    function typingEvent(opened, data) {
        if (data.user_id === me) {
            return;
        }
        clearTimeout(opened.typists.get(data.user_id));
        opened.typists.delete(data.user_id);
        if (data.typing) {
            // The server says stop after its own lapse too; this one keeps a lost stop from showing for ever.
            opened.typists.set(data.user_id, setTimeout(() => {
                opened.typists.delete(data.user_id);
                showTyping(opened);
            }, TYPING_LAPSE_MS));
        }
        showTyping(opened);
    }

    function showTyping(opened) {
        if (chat !== opened) {
            return;
        }
        const names = [...opened.typists.keys()];
        ui.typing.hidden = !names.length;
        ui.typing.textContent = names.length === 1 ? `${names[0]} is typing\u2026`
            : names.length === 2 ? `${names[0]} and ${names[1]} are typing\u2026`
                : `${names.length} people are typing\u2026`;
    }

    /** Tells the others that the user types: at most once per TYPING_EVERY_MS while the composer has text. */
    function typed() {
        const opened = chat;
        if (!opened) {
            return;
        }
        if (!ui.text.value.trim()) {
            stopTyping();
            return;
        }
        const now = Date.now();
        if (now - opened.typingSentAt >= TYPING_EVERY_MS) {
            opened.typingSentAt = now;
            opened.typingOn = true;
            sayTyping(opened, true);
        }
    }

    /** Tells the others that the user stopped typing (sent, left the box, cleared it), if they were told it typed. */
    function stopTyping() {
        const opened = chat;
        if (opened && opened.typingOn) {
            opened.typingOn = false;
            opened.typingSentAt = 0;
            sayTyping(opened, false);
        }
    }

    /** One Typing call after the other, so that a stop never overtakes its start. */
    function sayTyping(opened, typing) {
        opened.typingCalls = opened.typingCalls
            .then(() => background('Typing', {chat_id: opened.id, user_id: me, typing}))
            .catch(backgroundError);
    }

    function presenceEvent(opened, data) {
        if (data.user_id === me) {
            return;
        }
        opened.presence.set(data.user_id, data);
        showPresence(opened);
    }

    /** The dot in the chat's head: green while another member is online; says who, or when one was last seen. */
    function showPresence(opened) {
        if (chat !== opened) {
            return;
        }
        const others = [...new Set([...opened.members, ...opened.presence.keys()])]
            .filter(u => u !== me && (!opened.members.size || opened.members.has(u)));
        const online = others.filter(u => opened.presence.get(u) && opened.presence.get(u).online);
        ui.presence.hidden = !others.length;
        ui.presence.dataset.online = String(online.length > 0);
        if (online.length) {
            ui.presence.textContent = `${online.join(', ')} online`;
        } else {
            const seen = others.map(u => opened.presence.get(u)).filter(p => p && p.last_seen)
                .sort((a, b) => b.last_seen - a.last_seen)[0];
            ui.presence.textContent = seen ? `${seen.user_id} last seen ${timeOf({sent_at: seen.last_seen})}`
                : 'offline';
        }
        ui.presence.title = others.map(u => `${u}: ${online.includes(u) ? 'online' : 'offline'}`).join(', ');
    }

    /** What a membership event says, as a small line of the log. */
    function membershipLine(kind, data) {
        switch (kind) {
            case 'created':
                return `${data.user_id} created the group`;
            case 'joined':
                return data.user_id === data.member ? `${data.member} joined`
                    : `${data.member} joined (invited by ${data.user_id})`;
            case 'left':
                return `${data.member} left`;
            case 'kicked':
                return `${data.member} was removed by ${data.user_id}`;
            default:
                return `${data.user_id} deleted the group`;
        }
    }

    function membershipEvent(opened, kind, data) {
        opened.cursor = Math.max(opened.cursor, data.seq);
        if (!opened.events.has(data.seq)) {
            opened.events.add(data.seq);
            const line = document.createElement('li');
            line.className = 'system';
            line.dataset.seq = String(data.seq);
            line.dataset.kind = kind;
            line.textContent = membershipLine(kind, data);
            place(line, data.seq);
        }
        if (kind === 'joined') {
            opened.members.add(data.member);
        } else if (kind === 'left' || kind === 'kicked') {
            opened.members.delete(data.member);
            opened.markers.delete(data.member);
            typingEvent(opened, {user_id: data.member, typing: false});
        }
        showPresence(opened);
        if (data.member === me && (kind === 'left' || kind === 'kicked') || kind === 'chat_deleted') {
            // The server ends this stream after the event: the chat is no longer the user's.
            const title = opened.title;
            location.hash = '';
            showList();
            if (kind !== 'left') {
                showError(new Error(kind === 'kicked' ? `${data.user_id} removed you from ${title}`
                    : `${data.user_id} deleted ${title}`));
            }
            return;
        }
        markRead(opened);
    }

    function listenToTalk(source, opened) {
        for (const kind of MEMBERSHIP) {
            source.addEventListener(kind, event => {
                if (chat === opened) {
                    membershipEvent(opened, kind, JSON.parse(event.data));
                }
            });
        }
        const moments = {read: readEvent, typing: typingEvent, presence: presenceEvent};
        for (const [kind, handle] of Object.entries(moments)) {
            source.addEventListener(kind, event => {
                if (chat === opened) {
                    handle(opened, JSON.parse(event.data));
                }
            });
        }
    }

    async function invite(userIds) {
        const opened = chat;
        const {chat: info} = await call('Invite', {chat_id: opened.id, user_id: me, user_ids: userIds});
        if (chat === opened) {
            setInfo(opened, info);
        }
    }

    async function leave() {
        const opened = chat;
        await call('Leave', {chat_id: opened.id, user_id: me});
        byChatId.delete(opened.id);
        listed = listed.filter(entry => entry.chat.chat_id !== opened.id);
        if (chat === opened) {
            location.hash = '';
            showList();
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
        location.hash = '';
        showList();
    });

    ui.newGroupForm.addEventListener('submit', event => {
        event.preventDefault();
        const name = ui.groupName.value.trim();
        const others = ui.groupMembers.value.split(',').map(s => s.trim()).filter(Boolean);
        if (!name) {
            return;
        }
        createGroup(name, others).then(() => {
            ui.groupName.value = '';
            ui.groupMembers.value = '';
        }, showError);
    });

    ui.inviteForm.addEventListener('submit', event => {
        event.preventDefault();
        const userIds = ui.inviteIds.value.split(',').map(s => s.trim()).filter(Boolean);
        if (userIds.length && chat) {
            invite(userIds).then(() => {
                ui.inviteIds.value = '';
            }, showError);
        }
    });

    ui.leave.addEventListener('click', () => {
        if (chat) {
            leave().catch(showError);
        }
    });

    ui.text.addEventListener('input', typed);
    ui.text.addEventListener('blur', stopTyping);

    document.addEventListener('visibilitychange', () => {
        if (chat) {
            markRead(chat);
        }
    });

    // The list follows new messages and chats while it is shown.
    setInterval(() => {
        if (me && shown === ui.chats && ui.tokenSignin.hidden && document.visibilityState === 'visible') {
            refreshList(true).catch(backgroundError);
        }
    }, LIST_EVERY_MS);

    ui.older.addEventListener('click', () => loadOlder().catch(showError));

    ui.composer.addEventListener('submit', event => {
        event.preventDefault();
        const text = ui.text.value;
        if (!text.trim() || !chat) {
            return;
        }
        ui.text.value = '';
        stopTyping();
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
            showList();
            return;
        }
        openChat(id).catch(showError);
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
