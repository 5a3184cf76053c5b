# One image per service, built by the project's own Maven build:
#   docker build --build-arg MODULE=ingest-api -t tally/ingest-api .
# (docker-compose.yml does this for every service.)
FROM eclipse-temurin:25-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -ntp -pl ${MODULE} -am -DskipTests package \
 && cp ${MODULE}/target/${MODULE}-*-all.jar /service.jar

FROM eclipse-temurin:25-jre
COPY --from=build /service.jar /opt/tally/service.jar
USER 1000
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/tally/service.jar"]
