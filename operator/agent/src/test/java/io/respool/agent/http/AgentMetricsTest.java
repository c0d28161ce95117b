package io.respool.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    @Test
    void rendersThePrometheusTextFormatWithFixedLabels() {
        AgentMetrics m = new AgentMetrics();
        m.wrote(3);
        m.driftCorrected(1);
        m.error(AgentMetrics.ErrorKind.WRITE, 2);
        m.pass(AgentMetrics.Trigger.PLAN, 1_500_000, 7, 2, 1, 0, 1_700_000_000_000L);

        String text = m.render();

        assertThat(text).contains("# TYPE respool_agent_cgroup_writes_total counter\nrespool_agent_cgroup_writes_total 3\n")
                .contains("respool_agent_drift_corrections_total 1\n")
                .contains("respool_agent_errors_total{kind=\"write\"} 2\n")
                .contains("respool_agent_errors_total{kind=\"discovery\"} 0\n")
                .contains("respool_agent_passes_total{trigger=\"plan\"} 1\n")
                .contains("respool_agent_pass_seconds_total 0.0015\n")
                .contains("respool_agent_workloads{state=\"partial\"} 1\n")
                .contains("respool_agent_plan_generation 7\n")
                .contains("respool_agent_last_pass_timestamp_seconds 1700000000\n");
        assertThat(text.lines().filter(l -> !l.startsWith("#")))
                .allMatch(l -> l.matches("[a-z_]+(\\{[a-z]+=\"[a-z_]+\"})? [0-9.eE+-]+"));
    }
}
