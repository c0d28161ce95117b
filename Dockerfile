# syntax=docker/dockerfile:1
#
# One image for all of respool's entry points:
#
#   docker run --rm IMAGE operator ...        the operator (the Helm chart's Deployment)
#   docker run --rm IMAGE agent ...           the node agent (the Helm chart's DaemonSet)
#   docker run --rm -v "$PWD:/work" IMAGE plan -f /work/pools.yaml
#   docker run --rm IMAGE plan -f /opt/respool/examples/01-classic-shares.yaml
#
# Build from the repository root (docs/install.md):
#
#   docker build -t <your-registry>/respool:0.1.0 .
#
# Base images are named without a registry: set your own mirror with the build arguments below.

# Maven's JVM options in .mvn/jvm.config need a JDK 23 or newer; the code is compiled for Java 21.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25
ARG RUNTIME_IMAGE=eclipse-temurin:21-jre

# ---- build: the shaded CLI jar (operator, agent and plan in one) -------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven repository is a BuildKit cache, so a rebuild downloads nothing new. Tests run in CI
# (scripts/test.sh), not in the image build: they need a kube-apiserver and root for cgroups.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl operator/cli -am package -Dmaven.test.skip=true \
 && cp operator/cli/target/respool.jar /respool.jar

# ---- runtime: a JRE, the jar, the examples, a non-root user -----------------------------------
FROM ${RUNTIME_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="respool" \
      org.opencontainers.image.description="vSphere-style resource pools for Kubernetes: operator, node agent and offline planner" \
      org.opencontainers.image.version="${VERSION}"
# uid/gid 65532, as the Helm chart's operator runs; the agent overrides it with uid 0 (it writes
# root-owned cgroup files), see docs/install.md.
RUN groupadd --system --gid 65532 respool \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin respool
COPY --from=build /respool.jar /opt/respool/respool.jar
COPY examples/ /opt/respool/examples/
USER 65532:65532
WORKDIR /tmp
ENTRYPOINT ["java", "-jar", "/opt/respool/respool.jar"]
CMD ["--help"]
