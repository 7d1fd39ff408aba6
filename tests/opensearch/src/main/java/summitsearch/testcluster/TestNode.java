package summitsearch.testcluster;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One real OpenSearch node with the modules every distribution ships, started from the server
 * jar on the class path (the distribution itself is not served by Maven Central).
 *
 * <p>Arguments are node settings, {@code key=value}. The node runs until the process is
 * stopped; a SIGTERM closes it cleanly, a SIGKILL is the crash the tests make on purpose.
 */
public final class TestNode extends Node {
  private static final List<Class<? extends Plugin>> MODULES =
      List.of(
          Netty4Plugin.class,
          CommonAnalysisPlugin.class,
          MapperExtrasPlugin.class,
          PainlessPlugin.class,
          MatrixAggregationPlugin.class);

  private TestNode(Environment environment) {
    super(environment, MODULES, true);
  }

  public static void main(String[] args) throws Exception {
    Settings.Builder builder = Settings.builder();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value, got " + arg);
      }
      builder.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Settings settings = builder.build();
    Environment environment =
        InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), null, () -> settings.get("node.name"));
    TestNode node = new TestNode(environment);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                  } catch (IOException e) {
                    e.printStackTrace();
                  } finally {
                    stopped.countDown();
                  }
                }));
    node.start();
    stopped.await();
  }
}
