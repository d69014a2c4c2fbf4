# syntax=docker/dockerfile:1
# stepper: the lessons served by Voilà, with Spark 4 (pip's pyspark) on Debian's Java 17.
#
#   docker build -t stepper .                                        # attendees: no solutions
#   docker build -t stepper-instructor --build-arg INCLUDE_SOLUTIONS=1 .
#   docker run --rm -p 8866:8866 -p 4040:4040 stepper                # http://localhost:8866
#
# The same image runs a Spark standalone master and workers (see docker-compose.yml):
# SPARK_HOME is the pyspark package directory, and `spark-class` is on PATH.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SPARK_HOME=/usr/local/lib/python3.11/site-packages/pyspark

# Java 17 from Debian (Spark 4 needs 17+). "17.0.*" keeps the major version fixed while taking
# Debian's security updates. The man directory is missing in slim images and the JRE's
# post-install script needs it.
RUN mkdir -p /usr/share/man/man1 \
    && apt-get update \
    && apt-get install -y --no-install-recommends "openjdk-17-jre-headless=17.0.*" \
    && rm -rf /var/lib/apt/lists/* \
    && java -version

RUN groupadd --gid 1000 stepper \
    && useradd --create-home --uid 1000 --gid 1000 --shell /bin/bash stepper
WORKDIR /home/stepper/app

# Dependencies first (the pinned set every machine installs), so code changes keep this layer.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

# The project. The whole build context is mounted, copied, and pruned in one RUN, so the
# attendee image has no layer that ever held the solutions (solutions/ and the exercise sources
# with their ### BEGIN SOLUTION blocks). INCLUDE_SOLUTIONS=1 keeps them: the instructor's image.
ARG INCLUDE_SOLUTIONS=0
RUN --mount=type=bind,target=/mnt/context \
    cp -R /mnt/context/. . \
    && if [ "$INCLUDE_SOLUTIONS" != "1" ]; then rm -rf solutions exercise_sources; fi \
    && pip install --no-cache-dir --no-deps . \
    && rm -rf build ./*.egg-info \
    && chown -R stepper:stepper /home/stepper

# Numeric, so that Kubernetes runAsNonRoot can verify it (the user is stepper).
USER 1000:1000
EXPOSE 8866 4040
CMD ["voila", "lessons/", "--no-browser", "--Voila.ip=0.0.0.0", "--port=8866"]
