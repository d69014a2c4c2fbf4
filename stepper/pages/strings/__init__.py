"""The pages' texts, one catalogue per language (same keys): :mod:`.en`, :mod:`.fr`.

Keys are dotted: ``lesson1.spectral``, ``phase.broadcast.task``, ``method.gd.label``. Texts are
Markdown (sections) or plain text (labels, narration); ``{name}`` is filled by the page with a
figure it has just computed. A literal brace is written ``{{`` or ``}}``.
"""
