package io.respool.agent.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.respool.agent.FakeCgroupTree;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupDiscoveryTest {

    static final String UID = "0a1b2c3d-0000-4000-8000-00000000000a";

    @TempDir
    Path tmp;

    static void v1Controller(FakeCgroupTree t, String dir) {
        t.file(dir, "cgroup.procs", "");
    }

    @Test
    void unifiedRootIsV2AndTheSliceNameMeansSystemd() throws Exception {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp);
        t.v2Parent("kubepods.slice");

        CgroupLayout l = CgroupDiscovery.discover(tmp, null, null);

        assertThat(l.version()).isEqualTo(CgroupVersion.V2);
        assertThat(l.driver()).isEqualTo(CgroupDriver.SYSTEMD);
        assertThat(l.kubepods()).isEqualTo("kubepods.slice");
        assertThat(l.hierarchy(Controller.MEMORY)).contains(tmp);
    }

    @Test
    void v1ControllersIncludingCoMountedOnesAndAHybridUnifiedMount() throws Exception {
        FakeCgroupTree t = new FakeCgroupTree(tmp);
        v1Controller(t, "cpu,cpuacct");
        v1Controller(t, "memory");
        v1Controller(t, "blkio");
        t.file("unified", "cgroup.controllers", "");
        t.file("memory/kubepods", "cgroup.procs", "");

        CgroupLayout l = CgroupDiscovery.discover(tmp, null, null);

        assertThat(l.version()).isEqualTo(CgroupVersion.V1);
        assertThat(l.v1Roots()).containsEntry(Controller.CPU, tmp.resolve("cpu,cpuacct"))
                .containsEntry(Controller.CPUACCT, tmp.resolve("cpu,cpuacct"))
                .containsEntry(Controller.MEMORY, tmp.resolve("memory"))
                .containsEntry(Controller.BLKIO, tmp.resolve("blkio"));
        assertThat(l.driver()).isEqualTo(CgroupDriver.CGROUPFS);
    }

    @Test
    void nestedKubeletCgroupRootIsFoundOneLevelDown() throws Exception {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp);
        t.v2Parent("kubelet.slice/kubelet-kubepods.slice");

        CgroupLayout l = CgroupDiscovery.discover(tmp, null, null);

        assertThat(l.kubepods()).isEqualTo("kubelet.slice/kubelet-kubepods.slice");
        assertThat(new PodCgroupLocator(l).expectedPath(QosClass.BURSTABLE, UID)).isEqualTo(
                "kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/"
                        + "kubelet-kubepods-burstable-pod0a1b2c3d_0000_4000_8000_00000000000a.slice");
    }

    @Test
    void configuredKubepodsMustExistAndStayBelowTheRoot() {
        FakeCgroupTree.v2(tmp);
        assertThatThrownBy(() -> CgroupDiscovery.discover(tmp, null, "custom/kubepods"))
                .isInstanceOf(CgroupException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> CgroupDiscovery.discover(tmp, null, "../elsewhere"))
                .isInstanceOf(CgroupException.class).hasMessageContaining("not a path below the root");
    }

    @Test
    void noHierarchyAtAllIsAClearError() {
        assertThatThrownBy(() -> CgroupDiscovery.discover(tmp, null, null))
                .isInstanceOf(CgroupException.class).hasMessageContaining("no cgroup hierarchy at " + tmp);
    }

    @Test
    void podsOfEveryQosClassAndBothDriversAreFound() throws Exception {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp.resolve("fs"));
        String u = UID.replace('-', '_');
        t.cgroup("kubepods/pod" + UID, Map.of("cgroup.procs", ""));
        CgroupLocatorCase cgroupfs = new CgroupLocatorCase(t.root());
        assertThat(cgroupfs.locate(UID).qos()).isEqualTo(QosClass.GUARANTEED);
        assertThat(cgroupfs.locate(UID).relativePath()).isEqualTo("kubepods/pod" + UID);

        FakeCgroupTree s = FakeCgroupTree.v2(tmp.resolve("sd"));
        s.cgroup("kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + u + ".slice",
                Map.of("cgroup.procs", ""));
        CgroupLocatorCase systemd = new CgroupLocatorCase(s.root());
        assertThat(systemd.locate(UID).qos()).isEqualTo(QosClass.BEST_EFFORT);

        FakeCgroupTree b = FakeCgroupTree.v2(tmp.resolve("b"));
        b.cgroup("kubepods/burstable/pod" + UID, Map.of("cgroup.procs", ""));
        assertThat(new CgroupLocatorCase(b.root()).locate(UID).relativePath()).isEqualTo("kubepods/burstable/pod" + UID);
    }

    @Test
    void aUidThatIsNotOneIsRefused() throws Exception {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp);
        t.v2Parent("kubepods");
        PodCgroupLocator l = new PodCgroupLocator(CgroupDiscovery.discover(tmp, null, null));
        assertThatThrownBy(() -> l.locate("../../x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(l.locate("99999999-0000-4000-8000-000000000000")).isEmpty();
    }

    private record CgroupLocatorCase(Path root) {
        PodCgroup locate(String uid) throws CgroupException {
            return new PodCgroupLocator(CgroupDiscovery.discover(root, null, null)).locate(uid).orElseThrow();
        }
    }
}
