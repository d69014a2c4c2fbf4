"""One Jupyter server for the lessons and the exercises (``make lessons``, the image's command):

    jupyter lab --config=jupyter_server_config.py [--ip=… --port=…]

JupyterLab at ``/lab`` (the exercises, editable), the lesson pages rendered by Voilà at
``/voila/render/lessons/<notebook>``; the old ``/voila/render/<notebook>`` addresses redirect
(``stepper.server``). The server's root is this folder, whatever the working directory. A token
protects the server (Jupyter's default): it is in the address Jupyter prints when it starts.
"""

import os

c = get_config()  # noqa: F821 (defined by Jupyter when it loads this file)

c.ServerApp.root_dir = os.path.dirname(os.path.abspath(__file__))
c.ServerApp.open_browser = False
c.ServerApp.jpserver_extensions.update({"stepper.server": True, "voila.server_extension": True})
# The address Jupyter prints (with the token) opens the lessons' index; it links to JupyterLab.
c.LabApp.default_url = "/voila/render/lessons/index.ipynb"
# Lesson pages load their data files through Voilà (figures, CSV downloads).
c.VoilaConfiguration.file_allowlist = [".*"]
# Each lesson page has its own kernel (and Spark JVM): stop those idle for 30 minutes.
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_idle_timeout = 1800
# No calls out to the internet (workshop rooms often have none): no PyPI extension manager, no
# news or update checks.
c.LabApp.extension_manager = "readonly"
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"

# An attendee's own folder (the image sets STEPPER_WORK_DIR=work, a folder the attendee mounts
# from their machine so their work outlives the container): the exercises are copied into it at
# start, except those already there, which are the attendee's and are never overwritten.
_work = os.environ.get("STEPPER_WORK_DIR", "").strip()
if _work:
    import shutil

    _root = c.ServerApp.root_dir
    _work = os.path.join(_root, _work)
    os.makedirs(_work, exist_ok=True)
    # the French notebooks (exercises/fr/) go to the attendee's fr/ folder, as in exercises/
    for _sub in ("", "fr"):
        _exercises = os.path.join(_root, "exercises", _sub)
        _into = os.path.join(_work, _sub)
        for _name in sorted(os.listdir(_exercises)) if os.path.isdir(_exercises) else []:
            if _name.endswith(".ipynb") and not os.path.exists(os.path.join(_into, _name)):
                os.makedirs(_into, exist_ok=True)
                shutil.copyfile(os.path.join(_exercises, _name), os.path.join(_into, _name))
