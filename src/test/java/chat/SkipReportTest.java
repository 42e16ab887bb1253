package chat;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The tests that need programs a machine may lack (Chromium, node) are reported as skipped, with their reason on
 * the console, where those programs are missing: run here by a JUnit launcher of their own, as on a machine whose
 * PATH has none of them ({@link SearchPath#PARAMETER} set to an empty directory).
 */
class SkipReportTest {

    /** What the launcher reported: every test started, and every skip and abort with its reason. */
    static final class Recorded implements TestExecutionListener {
        final List<String> skipped = new ArrayList<>();
        final List<String> started = new ArrayList<>();
        final List<String> endedOtherThanSuccessfully = new ArrayList<>();
        TestPlan plan;

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            skipped.add(test.getDisplayName() + ": " + reason);
        }

        @Override
        public void executionStarted(TestIdentifier test) {
            if (test.isTest()) {
                started.add(test.getDisplayName());
            }
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                endedOtherThanSuccessfully.add(test.getDisplayName() + ": " + result);
            }
        }

        long tests() {
            return plan.countTestIdentifiers(TestIdentifier::isTest);
        }
    }

    record Run(Recorded recorded, String console) {
    }

    private static Run runWithoutPrograms(String testClass) throws IOException {
        Path emptyPath = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "empty-path-");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameter(SearchPath.PARAMETER, emptyPath.toString())
                // as on a developer's machine, even where CI asks for the browser test with -Dchat.test.browser
                .configurationParameter("chat.test.browser", "")
                .build();
        var launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .build());
        var console = new ByteArrayOutputStream();
        var recorded = new Recorded();
        launcher.execute(request, recorded, new SkipReport(new PrintStream(console, true, StandardCharsets.UTF_8)));
        Files.delete(emptyPath);
        return new Run(recorded, console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theBrowserTestIsSkippedWithItsReasonOnTheConsoleWhereChromiumIsMissing() throws IOException {
        Run run = runWithoutPrograms("chat.web.ChatPageBrowserTest");

        String reason = "THE BROWSER TEST OF THE CHAT PAGE DID NOT RUN: chromium and chromedriver must be on the PATH"
                + " (Debian: apt-get install -y chromium chromium-driver); found chromium=none, chromedriver=none";
        assertThat("the class is skipped, so every test of it counts as skipped", run.recorded().skipped,
                contains("ChatPageBrowserTest: " + reason));
        assertThat("it has tests to count", run.recorded().tests(), is(greaterThan(0L)));
        assertThat("none started", run.recorded().started, is(empty()));
        assertThat("none aborted or failed (an abort counts as nothing)", run.recorded().endedOtherThanSuccessfully,
                is(empty()));
        assertThat("the console says why", run.console(),
                is("[SKIPPED] chat.web.ChatPageBrowserTest: " + reason + System.lineSeparator()));
    }

    @Test
    void theTypeScriptClientTestIsSkippedWithItsReasonOnTheConsoleWhereNodeIsMissing() throws IOException {
        Run run = runWithoutPrograms("chat.sdk.TypeScriptClientTest");

        String reason = "THE TYPESCRIPT SDK TEST DID NOT RUN: node and npm must be on the PATH (Debian: apt-get"
                + " install nodejs npm)";
        assertThat("skipped before the service starts", run.recorded().skipped,
                contains("TypeScriptClientTest: " + reason));
        assertThat("none started", run.recorded().started, is(empty()));
        assertThat("nothing aborted or failed", run.recorded().endedOtherThanSuccessfully, is(empty()));
        assertThat("the console says why", run.console(),
                is("[SKIPPED] chat.sdk.TypeScriptClientTest: " + reason + System.lineSeparator()));
    }

    /** Not run by surefire (a nested class): a test that an assumption stops. */
    static class StoppedByAnAssumption {
        @Test
        void needsSomething() {
            assumeTrue(false, "needs something this machine lacks");
        }

        @Test
        void needsItToo() {
            assumeTrue(false, "needs something this machine lacks");
        }
    }

    @Test
    void aTestStoppedByAnAssumptionIsReportedOnceWithItsReason() throws IOException {
        Run run = runWithoutPrograms(StoppedByAnAssumption.class.getName());

        assertThat("both aborted", run.recorded().endedOtherThanSuccessfully.size(), is(2));
        assertThat("one line for the class and reason", run.console(), is("[SKIPPED] "
                + StoppedByAnAssumption.class.getName() + ": Assumption failed: needs something this machine lacks"
                + System.lineSeparator()));
        assertThat(run.console(), startsWith("[SKIPPED] chat.SkipReportTest$StoppedByAnAssumption"));
    }
}
