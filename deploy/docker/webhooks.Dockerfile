# webhooks: the Quarkus fast-jar built by Maven, on a Java 17 runtime.
# Build the jar first (repository root):  mvn -B package -DskipTests
# then:  docker build -f deploy/docker/webhooks.Dockerfile -t provisioninghub/webhooks webhooks
# (docker-compose.yml does the second step). The build context is the module directory.
FROM eclipse-temurin:17-jre

ENV LANG=C.UTF-8 \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    QUARKUS_MANAGEMENT_HOST=0.0.0.0 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

WORKDIR /deployments
# Dependencies first: they change less often than the application classes.
COPY --chown=185:0 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185:0 target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --chown=185:0 target/quarkus-app/app/ /deployments/app/
COPY --chown=185:0 target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar

USER 185
# 8084: public API, 9084: management interface (/q/health/*, /q/metrics).
EXPOSE 8084 9084
# Readiness on the management port, with bash alone (no curl in the image).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9084 && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
