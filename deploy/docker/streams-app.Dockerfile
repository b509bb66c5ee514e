# syntax=docker/dockerfile:1
# The streams-app image; it also carries the deploy jar for the headerlog-init step of
# docker-compose.yml (io.headerlog.deploy.InitTopicsAndSchemas). Build context: the repository root.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# -am also builds tools/ (a test dependency of the streams app); -Dmdep.skip keeps its package step
# from fetching the Apicurio registry zip that no image needs, so the runtime jars are copied in a
# second, separate step.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true -Dmdep.skip=true -pl streams-app,deploy -am install \
 && mvn -B -q -pl streams-app dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

FROM eclipse-temurin:17-jre
# A dedicated non-root user: the app needs no privilege, only its state directory (a volume in
# docker-compose.yml; Docker copies this directory's ownership into a new named volume).
RUN groupadd --system --gid 10001 headerlog \
 && useradd --system --uid 10001 --gid headerlog --home-dir /var/lib/headerlog --no-create-home \
      --shell /usr/sbin/nologin headerlog \
 && mkdir -p /var/lib/headerlog/streams \
 && chown -R headerlog:headerlog /var/lib/headerlog
COPY --from=build /src/streams-app/target/headerlog-streams-app.jar /src/deploy/target/headerlog-deploy.jar /opt/headerlog/
COPY --from=build /src/streams-app/target/lib/ /opt/headerlog/lib/
USER 10001:10001
# The JVM flags of `./headerlog stream` (a test in deploy/ keeps them equal); add flags with
# JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-Xmx768m", "-jar", "/opt/headerlog/headerlog-streams-app.jar"]
