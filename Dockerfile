# syntax=docker/dockerfile:1
# stepper: the lessons served by Voilà, with Spark 4 (pip's pyspark) on Debian's Java 17.
#
#   docker build -t stepper .                                          # attendees: no solutions
#   docker build -t stepper-instructor --build-arg INCLUDE_SOLUTIONS=1 .
#   mkdir -p work && docker run --rm --init -p 127.0.0.1:8866:8866 -p 127.0.0.1:4040:4040 \
#       -v "$PWD/work:/home/stepper/app/work" stepper      # open the address Jupyter prints
#
# The same image runs a Spark standalone master and workers (see docker-compose.yml):
# SPARK_HOME is the pyspark package directory, and `spark-class` is on PATH.
#
# The install steps are the ones CI runs (Makefile, .ci/run): `pip install -r requirements.lock`,
# then the project with `pip install --no-deps -e .` (tests/test_docker.py checks they agree).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SPARK_HOME=/usr/local/lib/python3.11/site-packages/pyspark

# The attendee image runs Spark in local mode, and stepper.session binds a local-mode driver to
# 127.0.0.1 unless SPARK_LOCAL_IP is set: its UI would then be unreachable through
# `-p 4040:4040`. Bind to every interface of the container instead, and show UI links as
# localhost. docker-compose.yml sets SPARK_LOCAL_IP to each container's own name, since drivers,
# executors and workers of a cluster must advertise addresses the others can reach.
ENV SPARK_LOCAL_IP=0.0.0.0 \
    SPARK_PUBLIC_DNS=localhost

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
# SPARK_HOME above must be where pip put pyspark: the build stops here if it is not.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock \
    && test -x "$SPARK_HOME/bin/spark-class" \
    && command -v spark-class voila jupyter-lab

# The project. The build context is mounted, copied and pruned in one RUN, so the attendee image
# has no layer that ever held the solutions (solutions/, exercise_sources/ with its
# "### BEGIN SOLUTION" blocks, the instructor's hidden tests, and the wrong-answer fixtures, which
# are near-complete solutions). INCLUDE_SOLUTIONS=1 keeps them: the instructor's image.
# (.dockerignore must not exclude solutions/, or the instructor's image would lack them.)
# The copy itself leaves out what .dockerignore lists, and .git and .venv wherever they are:
# Docker applies .dockerignore to this mount, but buildah/podman do not, and .git's history holds
# the solutions. So every builder gets the same files ("**/x" lines match at any depth, the
# others at the top, as Docker reads them).
ARG INCLUDE_SOLUTIONS=0
RUN --mount=type=bind,target=/mnt/context \
    { sed -n -e 's/[[:space:]]*$//' -e '/^[^#!]/s#/*$##p' /mnt/context/.dockerignore 2>/dev/null || true; } > /tmp/ignored \
    && sed -n 's#^[*][*]/##p' /tmp/ignored > /tmp/ignored-anywhere \
    && sed -e '/^[*][*]\//d' -e 's#^/*#./#' /tmp/ignored > /tmp/ignored-top \
    && tar -C /mnt/context -cf /tmp/context.tar --anchored --exclude-from=/tmp/ignored-top \
        --no-anchored --exclude-from=/tmp/ignored-anywhere --exclude=.git --exclude=.venv . \
    && tar -xf /tmp/context.tar && rm -f /tmp/context.tar /tmp/ignored /tmp/ignored-top /tmp/ignored-anywhere \
    && if [ "$INCLUDE_SOLUTIONS" != "1" ]; then rm -rf solutions exercise_sources stepper/grade/hidden_tests tests/fixtures/submissions; fi \
    && pip install --no-cache-dir --no-deps -e . \
    && python -c "import stepper, pyspark; print('stepper', stepper.__version__, 'pyspark', pyspark.__version__)" \
    && chown -R stepper:stepper /home/stepper

# Numeric, so that Kubernetes runAsNonRoot can verify it (the user is stepper).
USER 1000:1000
# 8866: the Jupyter server (lessons by Voilà at /voila/render/lessons/…, exercises in JupyterLab);
# 4040: the Spark UI of the first lesson page's driver (later pages take 4041, 4042, …).
EXPOSE 8866 4040
# The attendee's own folder, meant to be mounted from their machine (-v …:/home/stepper/app/work)
# so their work outlives the container: the server copies the exercises into it when they are
# not there yet (jupyter_server_config.py) and never overwrites them.
ENV STEPPER_WORK_DIR=work
# As `make lessons`, but listening on every interface of the container. Jupyter's token protects
# the server; the address with the token is in the container's output.
CMD ["jupyter", "lab", "--config=jupyter_server_config.py", "--ip=0.0.0.0", "--port=8866", \
     "--no-browser"]
