package io.respool.agent.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.respool.agent.FakeCgroupTree;
import io.respool.engine.CgroupValues;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v1 details that the real-kernel tests do not reach on every host: BFQ weights, device lines. */
class CgroupV1WriterTest {

    static final String UID = "0a1b2c3d-0000-4000-8000-00000000000a";

    @TempDir
    Path tmp;

    @Test
    void blkioWeightGoesToBfqWhenCfqIsGoneAndThrottlesArePerDevice() throws Exception {
        FakeCgroupTree t = new FakeCgroupTree(tmp);
        for (String c : List.of("cpu", "memory", "blkio")) {
            t.file(c, "cgroup.procs", "");
        }
        String pod = "blkio/kubepods/burstable/pod" + UID;
        t.cgroup(pod, Map.of("cgroup.procs", "", "blkio.bfq.weight", "100", "blkio.throttle.read_iops_device", "",
                "blkio.throttle.write_iops_device", ""));
        t.file("cpu/kubepods/burstable/pod" + UID, "cgroup.procs", "");
        CgroupLayout layout = CgroupDiscovery.discover(tmp, null, null);
        PodCgroup p = new PodCgroupLocator(layout).locate(UID).orElseThrow();
        CgroupV1Writer w = new CgroupV1Writer(List.of(new BlockDevice("sda", "8:0", "bfq")));
        Map<String, String> v1 = new LinkedHashMap<>();
        v1.put("blkio.weight", "1000");
        v1.put("blkio.throttle.read_iops_device", "2000");
        v1.put("blkio.throttle.write_iops_device", "2000");

        List<FileOutcome> out = w.apply(p, new CgroupValues(Map.of(), v1));

        assertThat(out).extracting(FileOutcome::file).containsExactly("blkio.bfq.weight",
                "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device");
        assertThat(out).allMatch(FileOutcome::applied);
        // CFQ scale (default 500) to BFQ scale (default 100): high disk shares, 1000, become 200.
        assertThat(t.read(pod + "/blkio.bfq.weight")).isEqualTo("200");
        assertThat(t.read(pod + "/blkio.throttle.read_iops_device")).isEqualTo("8:0 2000");

        FileOutcome reset = w.restore(p, "blkio.throttle.read_iops_device", "");
        assertThat(reset.applied()).isTrue();
        assertThat(t.read(pod + "/blkio.throttle.read_iops_device")).isEqualTo("8:0 0");
    }
}
