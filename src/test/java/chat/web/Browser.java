package chat.web;

import chat.SearchPath;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One person's browser: the system's headless Chromium driven through its chromedriver, with a profile of its
 * own (so two of them are two independent users), and the chat page's controls as methods. Nothing is ever
 * downloaded: both binaries are found on the PATH, and Selenium is handed their paths, so Selenium Manager never
 * runs.
 */
final class Browser implements AutoCloseable {

    /** With {@code -Dchat.test.browser=required} (as CI runs) a missing Chromium fails instead of skipping. */
    static final String REQUIRED_PROPERTY = "chat.test.browser";

    private final ChromeDriver driver;
    private final String name;
    private final Path evidence;

    private Browser(ChromeDriver driver, String name, Path evidence) {
        this.driver = driver;
        this.name = name;
        this.evidence = evidence;
    }

    /** The Chromium and chromedriver binaries. */
    record Binaries(Path chromium, Path chromedriver) {
    }

    /**
     * Runs the browser test only where Chromium and chromedriver are installed; elsewhere its tests are reported
     * as skipped, with the reason, before anything starts. With {@code -Dchat.test.browser=required} it always
     * runs, so that a missing Chromium fails.
     */
    static final class Installed implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if ("required".equals(context.getConfigurationParameter(REQUIRED_PROPERTY).orElse(""))) {
                return ConditionEvaluationResult.enabled("the browser test is required");
            }
            return missing(SearchPath.of(context))
                    .map(ConditionEvaluationResult::disabled)
                    .orElse(ConditionEvaluationResult.enabled("chromium and chromedriver are installed"));
        }
    }

    /**
     * A page of another origin, a test resource (under {@code /web/}) served at the root of a JDK HTTP server on the
     * loopback address; its port is the origin's.
     */
    static HttpServer servePage(String resource) throws IOException {
        byte[] page;
        try (var in = Browser.class.getResourceAsStream(resource)) {
            page = in.readAllBytes();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (var out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        return server;
    }

    /** Where a browser test keeps its screenshots and service data: {@code target/browser/<database>/}. */
    static Path evidence() throws java.io.IOException {
        String database = System.getenv("CHAT_DB_URL") == null ? "embedded" : "postgres";
        return Files.createDirectories(Path.of("target", "browser", database));
    }

    /**
     * A service process of its own and two browsers on its page (a wide one and a phone-sized one), for a test class
     * of two users; screenshots go to {@code target/browser/<database>/}.
     */
    record TwoUsers(chat.ServiceProcess service, URI page, Browser first, Browser second) implements AutoCloseable {

        static TwoUsers start(String firstName, String secondName) throws Exception {
            Binaries binaries = binaries();
            Path evidence = evidence();
            int port = chat.ServiceProcess.freePort();
            chat.ServiceProcess service = chat.ServiceProcess.start(Files.createTempDirectory(evidence, "service-"),
                    port, java.util.Map.of());
            Browser first = null;
            try {
                first = open(binaries, firstName, evidence, 1100, 800);
                return new TwoUsers(service, URI.create("http://localhost:" + port + "/"), first,
                        open(binaries, secondName, evidence, 412, 860));
            } catch (Exception | Error e) {
                closeAll(new HttpServer[0], first, service);
                throw e;
            }
        }

        @Override
        public void close() {
            closeAll(new HttpServer[0], first, second, service);
        }
    }

    /** Stops the page servers and closes the rest (browsers, the service), each even when another fails. */
    static void closeAll(HttpServer[] servers, AutoCloseable... closeables) {
        for (HttpServer server : servers) {
            if (server != null) {
                server.stop(0);
            }
        }
        for (AutoCloseable closeable : closeables) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.getLogger(Browser.class.getName()).log(System.Logger.Level.WARNING, "closing " + closeable, e);
            }
        }
    }

    /** What the test needs; fails when it is missing (where it was required, see {@link Installed}). */
    static Binaries binaries() {
        String path = SearchPath.fromEnvironment();
        missing(path).ifPresent(reason -> {
            throw new AssertionError(reason);
        });
        return new Binaries(SearchPath.find(path, "chromium", "chromium-browser").orElseThrow(),
                SearchPath.find(path, "chromedriver").orElseThrow());
    }

    /** Why the test cannot run on this machine, if it cannot. */
    static Optional<String> missing(String path) {
        Optional<Path> chromium = SearchPath.find(path, "chromium", "chromium-browser");
        Optional<Path> chromedriver = SearchPath.find(path, "chromedriver");
        if (chromium.isPresent() && chromedriver.isPresent()) {
            return Optional.empty();
        }
        return Optional.of("THE BROWSER TEST OF THE CHAT PAGE DID NOT RUN: chromium and chromedriver must be on the "
                + "PATH (Debian: apt-get install -y chromium chromium-driver); found chromium="
                + chromium.map(Path::toString).orElse("none") + ", chromedriver="
                + chromedriver.map(Path::toString).orElse("none"));
    }

    static Browser open(Binaries binaries, String name, Path dir, int width, int height) throws IOException {
        Path profile = Files.createTempDirectory(dir, "profile-" + name + "-");
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(binaries.chromedriver().toFile())
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver-" + name + ".log").toFile())
                .build();
        var options = new ChromeOptions();
        options.setBinary(binaries.chromium().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--lang=en",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=" + width + "," + height);
        return new Browser(new ChromeDriver(service, options), name, dir);
    }

    <T> T waitFor(String what, Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout)
                .withMessage(() -> name + ": " + what + "; page messages: " + messages())
                .until(condition::apply);
    }

    <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return waitFor(what, Duration.ofSeconds(20), condition);
    }

    private WebElement element(String id) {
        return driver.findElement(By.id(id));
    }

    void open(URI page) {
        driver.get(page.toString());
    }

    /** The text content of the element with this id. */
    String text(String id) {
        return element(id).getText();
    }

    /** Opens the page afresh (nothing remembered) and signs in. */
    void signIn(URI page, String userId) {
        driver.get(page.toString());
        driver.executeScript("localStorage.clear(); location.hash = '';");
        driver.navigate().refresh();
        waitFor("sign-in form shown", d -> element("user-id").isDisplayed());
        element("user-id").sendKeys(userId + Keys.ENTER);
        waitFor("chat list shown", d -> element("others").isDisplayed());
    }

    /**
     * Opens the page afresh (no session, nothing remembered), checks that it asks for a token rather than a
     * user id, and signs in by pasting the token into the box.
     */
    void signInWithToken(URI page, String token) {
        driver.get(page.toString());
        // The session cookie has Path=/chat, out of the page's reach (WebDriver deletes only the page's own cookies):
        // the service clears it, as the page's sign-out does.
        driver.executeScript("localStorage.clear(); location.hash = '';"
                + " return fetch('/chat/Session', {method: 'DELETE'}).then(r => r.status);");
        driver.navigate().refresh();
        waitFor("token box shown", d -> displayed("token"));
        if (displayed("user-id")) {
            throw new AssertionError(name + ": the user-id box is shown beside the token box");
        }
        pasteToken(token);
        waitFor("chat list shown", d -> displayed("others"));
    }

    /** Puts a token into the sign-in box (as pasted: a JWT is long) and presses Enter. */
    void pasteToken(String token) {
        driver.executeScript("document.getElementById('token').value = arguments[0];", token);
        element("token").sendKeys(Keys.ENTER);
    }

    boolean displayed(String id) {
        return element(id).isDisplayed();
    }

    /** Starts (or reopens) the chat with the others and waits until its stream is live; returns the chat id. */
    String startChat(String... others) {
        element("others").sendKeys(String.join(", ", others) + Keys.ENTER);
        waitFor("chat opened", d -> element("text").isDisplayed());
        waitUntilLive();
        return chatId();
    }

    void waitUntilLive() {
        waitFor("stream live", Duration.ofSeconds(60), d -> "live".equals(state()));
    }

    String chatId() {
        return String.valueOf(driver.executeScript("return location.hash.slice(1);"));
    }

    String state() {
        return element("state").getAttribute("data-state");
    }

    /** Types keys into the element with this id, as a person would (add Keys.ENTER to submit its form). */
    void keys(String id, CharSequence... keys) {
        element(id).sendKeys(keys);
    }

    void click(String id) {
        element(id).click();
    }

    /** Types the text into the message box and presses Enter. */
    void type(String text) {
        element("text").sendKeys(text + Keys.ENTER);
    }

    /**
     * Puts text the driver cannot type (chromedriver types only the Basic Multilingual Plane, so no emoji) into
     * the message box, then presses Enter.
     */
    void paste(String text) {
        driver.executeScript("document.getElementById('text').value = arguments[0];", text);
        element("text").sendKeys(Keys.ENTER);
    }

    void loadOlder() {
        element("older").click();
    }

    boolean olderShown() {
        return element("older").isDisplayed();
    }

    /** What the page shows, in page order: one entry per message element (not the lines saying who joined or left). */
    record Shown(String seq, String userId, String text, boolean pending) {
    }

    List<Shown> messages() {
        Object rows = driver.executeScript("""
                return Array.from(document.querySelectorAll('#messages > li.message')).map(li => [
                    li.dataset.seq || '',
                    li.classList.contains('mine') ? 'me' : 'other',
                    li.querySelector('.text').textContent,
                    li.classList.contains('pending')]);""");
        List<Shown> shown = new ArrayList<>();
        for (Object row : (List<?>) rows) {
            List<?> cells = (List<?>) row;
            shown.add(new Shown((String) cells.get(0), (String) cells.get(1), (String) cells.get(2),
                    (Boolean) cells.get(3)));
        }
        return shown;
    }

    long count(String text) {
        return messages().stream().filter(m -> m.text().equals(text)).count();
    }

    /** How many elements match the selector among the messages (e.g. HTML that should never have been parsed). */
    int elementsIn(String selector) {
        return driver.findElements(By.cssSelector("#messages " + selector)).size();
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves a screenshot as target/browser/&lt;label&gt;-&lt;name&gt;.png, the evidence of what a person saw. */
    Path screenshot(String label) throws IOException {
        Path file = evidence.resolve(label + "-" + name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
