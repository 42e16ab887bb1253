package chat.messages.boundary;

import chat.chats.control.ChatIds;
import chat.identity.control.Caller;
import chat.messages.control.SearchQuery;
import chat.messages.entity.Message;
import chat.problems.Problem;
import chat.problems.UnexpectedProblemMapper;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * Search over the messages of the acting user's chats, newest first.
 *
 * <p>On PostgreSQL with its full-text search: a partial GIN index on
 * {@code to_tsvector('<language>', subject || ' ' || text)} of the rows of kind 'message', and each query word as
 * a prefix ({@code word:*}), so that whole words and their beginnings match. The language
 * ({@code chat.search.language}, {@code simple} by default: no stemming and no stop words, so names and words of
 * any language match as written) is part of the index's expression, and a query uses the index only when it names
 * the same language; so the index of the configured language is made at start-up when it is missing, concurrently
 * (Sends go on meanwhile). Nothing runs on the send path but PostgreSQL's own index update on insert.
 *
 * <p>On the embedded H2, which has no full-text search of this kind, each word must begin a word of the
 * lowercased subject and text (a regular expression per word, over the chats' rows, without an index): the same
 * matches, at the speed of a scan, which is what a single-user embedded database needs.
 */
@ApplicationScoped
public class MessageSearch {

    private static final Logger LOG = Logger.getLogger(MessageSearch.class.getName());
    private static final Pattern LANGUAGE = Pattern.compile("[a-z_]{1,40}");

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    @Inject
    @Named("chat")
    DataSource dataSource;

    @Inject
    MessageLife messageLife;

    @Inject
    @ConfigProperty(name = "chat.search.language", defaultValue = "simple")
    String language;

    /**
     * How many heap pages a search may ask the operating system for ahead of reading them (PostgreSQL's
     * {@code effective_io_concurrency}, for this statement only). The matches of a word lie on pages all over the
     * messages table, and one read at a time (PostgreSQL's default, 1) made those reads most of a search's time
     * when the table is larger than PostgreSQL's buffers: bench/search.sql took 57 ms for 957 pages not in the
     * buffers, 14 ms with 64. 0 leaves the server's setting; so does a server that cannot prefetch.
     */
    @Inject
    @ConfigProperty(name = "chat.search.io-concurrency", defaultValue = "64")
    int ioConcurrency;

    /** Whether this database takes {@link #ioConcurrency}: found out at start-up. */
    private volatile boolean prefetch;

    /** Makes the configured language's index if it is missing (PostgreSQL), right after the migrations. */
    void index(@Observes @Priority(PLATFORM_BEFORE + 1) @Initialized(ApplicationScoped.class) Object start) {
        if (!LANGUAGE.matcher(language).matches()) {
            throw new IllegalStateException("chat.search.language must be a PostgreSQL text search configuration"
                    + " such as simple, english or german: " + language);
        }
        try (Connection connection = dataSource.getConnection()) {
            if (SendBatch.Dialect.of(connection) != SendBatch.Dialect.POSTGRESQL) {
                return;
            }
            connection.setAutoCommit(true);
            prefetch = prefetches(connection);
            if (!exists(connection, "SELECT 1 FROM pg_ts_config WHERE cfgname = ?", language)) {
                throw new IllegalStateException("chat.search.language names no text search configuration of the"
                        + " database: " + language);
            }
            String index = indexName();
            if (exists(connection, "SELECT 1 FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid"
                    + " WHERE c.relname = ? AND i.indisvalid", index)) {
                return;
            }
            LOG.info(() -> "making the search index for the language " + language + " (" + index + ")");
            try (Statement statement = connection.createStatement()) {
                // a build that failed half-way leaves an invalid index behind, which IF NOT EXISTS would keep
                statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index);
                statement.execute(createIndex(language));
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "could not make the search index; Search works, but slowly, until it exists", e);
        }
    }

    /**
     * Whether the server accepts {@link #ioConcurrency} (a build without posix_fadvise, macOS's for one, refuses
     * any value but 0), tried on this session and set back.
     */
    private boolean prefetches(Connection connection) {
        if (ioConcurrency <= 0) {
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET effective_io_concurrency = " + ioConcurrency);
            statement.execute("RESET effective_io_concurrency");
            return true;
        } catch (SQLException e) {
            LOG.info(() -> "the database does not prefetch pages for Search (effective_io_concurrency): "
                    + e.getMessage());
            return false;
        }
    }

    private String indexName() {
        return indexName(language);
    }

    private static String indexName(String language) {
        return "messages_search_" + language + "_ix";
    }

    /** The statement that makes the search index of a language, while the table stays in use. */
    static String createIndex(String language) {
        return "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + indexName(language) + " ON messages USING GIN ("
                + document(language, "") + ") WHERE kind = 'message'";
    }

    /** The indexed expression; a query must spell it the same (its columns qualified or not) to use the index. */
    private static String document(String language, String alias) {
        return "to_tsvector('" + language + "', " + alias + "subject || ' ' || " + alias + "text)";
    }

    /**
     * Search's statement: on PostgreSQL ({@code language} given) the full-text match, on H2 one pattern per word;
     * in one chat or in all of the user's chats; after a cursor or from the newest. Its parameters: the namespace,
     * the user, the chat, the query (or each word's pattern), the cursor's time twice and id, the limit.
     *
     * <p>The user's chats are joined to {@code chats} by key with the namespace compared in the join, not by
     * {@link chat.chats.entity.Chat#inNamespace}: that form hides the namespace's selectivity from the planner,
     * which on analysed tables then took the user's chats for one row and scanned the search index once per chat
     * (305 ms instead of 6 ms for a user of 100 chats with 1,000,000 messages; {@code SearchPlanTest}). Here the
     * membership is a semi-join, hashed once per search, so a namespace read in full on tables never analysed costs
     * one pass over its chats, not one per row.
     */
    static String statement(String language, boolean inChat, int words, boolean cursor) {
        StringBuilder sql = new StringBuilder("SELECT m.id, m.chat_id, m.seq, m.client_id, m.user_id, m.subject,"
                + " m.text, m.sent_at, m.edited_at, m.deleted, m.reply_to FROM messages m"
                + " WHERE m.chat_id IN (SELECT cm.chat_id FROM chat_members cm JOIN chats c ON c.id = cm.chat_id"
                + " AND c.namespace = ? WHERE cm.user_id = ?) AND m.kind = 'message' AND NOT m.deleted");
        if (inChat) {
            sql.append(" AND m.chat_id = ?");
        }
        if (language != null) {
            sql.append(" AND ").append(document(language, "m.")).append(" @@ to_tsquery('").append(language)
                    .append("', ?)");
        } else {
            sql.append(" AND REGEXP_LIKE(LOWER(m.subject || ' ' || m.text), ?)".repeat(words));
        }
        if (cursor) {
            sql.append(" AND (m.sent_at < ? OR (m.sent_at = ? AND m.id < ?))");
        }
        return sql.append(" ORDER BY m.sent_at DESC, m.id DESC LIMIT ?").toString();
    }

    private static boolean exists(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * The messages of the acting user's chats (of one chat with {@code chatId}) that match the query, newest first,
     * older than the message {@code before} when given; with their reactions as the user sees them.
     *
     * @throws Problem 400 {@code chat.Search.MissingQuery}, {@code InvalidQuery}, {@code InvalidLimit},
     *                 {@code InvalidBefore}, {@code MissingUserID}; 403 {@code chat.Search.Forbidden} for a chat
     *                 the user is not a member of; 404 {@code chat.Search.InvalidChatID}
     */
    public List<chat.api.model.Message> search(Caller caller, String userId, String query, String chatId,
                                               Integer limit, String before) {
        String call = "chat.Search";
        SearchQuery words = SearchQuery.of(query);
        String user = caller.actingUser(userId, call);
        if (limit != null && limit < 0) {
            throw Problem.badRequest(call + ".InvalidLimit", "limit must not be negative");
        }
        int size = limit == null || limit == 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
        UUID chat = null;
        if (chatId != null && !chatId.isEmpty()) {
            chat = ChatIds.parse(chatId).orElseThrow(() -> SendBatch.notFound(call));
        }
        UUID cursor = null;
        if (before != null && !before.isEmpty()) {
            cursor = ChatIds.parse(before).orElseThrow(MessageSearch::invalidBefore);
        }
        try (Connection connection = dataSource.getConnection()) {
            if (chat != null) {
                requireMember(connection, caller, chat, user);
            }
            List<Message> found = find(connection, caller.namespace(), user, words, chat, cursor, size);
            return messageLife.withReactions(found, user);
        } catch (SQLException e) {
            throw UnexpectedProblemMapper.problem(e);
        }
    }

    private static Problem invalidBefore() {
        return Problem.badRequest("chat.Search.InvalidBefore", "before is not the id of a message");
    }

    private static void requireMember(Connection connection, Caller caller, UUID chat, String user)
            throws SQLException {
        try (PreparedStatement read = connection.prepareStatement("SELECT c.namespace, (SELECT COUNT(*) FROM"
                + " chat_members cm WHERE cm.chat_id = c.id AND cm.user_id = ?) FROM chats c WHERE c.id = ?")) {
            read.setString(1, user);
            read.setObject(2, chat);
            try (ResultSet rows = read.executeQuery()) {
                if (!rows.next() || !rows.getString(1).equals(caller.namespace())) {
                    throw SendBatch.notFound("chat.Search");
                }
                if (rows.getLong(2) == 0) {
                    throw SendBatch.notMember("chat.Search");
                }
            }
        }
    }

    private List<Message> find(Connection connection, String namespace, String user, SearchQuery words, UUID chat,
                               UUID cursor, int size) throws SQLException {
        boolean postgres = SendBatch.Dialect.of(connection) == SendBatch.Dialect.POSTGRESQL;
        if (postgres) {
            // One GIN scan bounds the work; starting parallel workers for it cost more than they saved: with them,
            // bench/search.sql took 34 ms at p50 and 136 ms at p99 on a loaded machine, without them 9 and 41 ms.
            connection.setAutoCommit(false);
            // the three settings in one round trip; planned for its own words every time: the plan PostgreSQL
            // caches for a prepared statement after five runs cannot see how many messages the words match, and
            // scanned the GIN index once per chat of the user (200 ms a search for a user of 100 chats, against
            // 14 ms planned each time)
            try (Statement settings = connection.createStatement()) {
                settings.execute("SET LOCAL max_parallel_workers_per_gather = 0;"
                        + " SET LOCAL plan_cache_mode = force_custom_plan"
                        + (prefetch ? "; SET LOCAL effective_io_concurrency = " + ioConcurrency : ""));
            }
        }
        OffsetDateTime cursorAt = null;
        if (cursor != null) {
            try (PreparedStatement read = connection.prepareStatement(
                    "SELECT sent_at FROM messages WHERE id = ? AND kind = 'message'")) {
                read.setObject(1, cursor);
                try (ResultSet rows = read.executeQuery()) {
                    if (!rows.next()) {
                        throw invalidBefore();
                    }
                    cursorAt = rows.getObject(1, OffsetDateTime.class);
                }
            }
        }
        String sql = statement(postgres ? language : null, chat != null, words.words().size(), cursorAt != null);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout(5);
            int p = 1;
            statement.setString(p++, namespace);
            statement.setString(p++, user);
            if (chat != null) {
                statement.setObject(p++, chat);
            }
            if (postgres) {
                statement.setString(p++, words.tsquery());
            } else {
                for (String word : words.words()) {
                    statement.setString(p++, SearchQuery.wordStart(word));
                }
            }
            if (cursorAt != null) {
                statement.setObject(p++, cursorAt);
                statement.setObject(p++, cursorAt);
                statement.setObject(p++, cursor);
            }
            statement.setInt(p, size);
            List<Message> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(MessageLife.message(rows));
                }
            }
            if (postgres) {
                connection.commit();
            }
            return found;
        }
    }
}
