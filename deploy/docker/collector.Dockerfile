# syntax=docker/dockerfile:1
# The collector image. Build context: the repository root (docker-compose.yml says so).
#
# Build stage: Debian 12, the toolchain the project is built and measured with (./headerlog setup):
# clang and libbpf-dev compile bpf/*.bpf.c inside the collector's Maven build (bpf/build.sh), which
# includes kernel and glibc headers (linux-libc-dev, libc6-dev), as .ci/run installs them. None of
# it reaches the runtime image.
FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven clang libbpf-dev linux-libc-dev libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# -am also builds tools/ (a test dependency of the collector); -Dmdep.skip keeps its package step
# from fetching the Apicurio registry zip (the local stack's registry, ~100 MB) that no image needs,
# so the runtime jars are copied in a second, separate step.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true -Dmdep.skip=true -pl collector -am install \
 && mvn -B -q -pl collector dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

# Runtime stage: a JRE and libbpf1 only. The collector opens libbpf.so.1 by name through JNA
# (LibBpf.LIBRARY), so the shared library must be installed; JNA brings its own native stub.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless libbpf1 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/headerlog
COPY --from=build /src/collector/target/headerlog-collector.jar /opt/headerlog/
COPY --from=build /src/collector/target/lib/ /opt/headerlog/lib/
# No USER: the collector runs as root in the container on purpose. Loading and attaching eBPF
# programs needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN in the process's EFFECTIVE set; Docker
# grants added capabilities to root only (a non-root user would need file capabilities on the java
# binary). docker-compose.yml drops every other capability, so this root is no more than those three.
#
# The JVM flags of `./headerlog collect` (COLLECTOR_JVM and -Xmx in the headerlog script; a test in
# deploy/ keeps them equal): a serial collector and no perf-data thread cut idle wakeups on a busy
# host. Add flags with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx512m", "-jar", "/opt/headerlog/headerlog-collector.jar"]
