"""The room: attendees' lesson pages follow the instructor's live stepping (see
:mod:`stepper.room.protocol` for the messages, :mod:`stepper.room.server` for the server side,
:mod:`stepper.room.client` for the kernels' side, :mod:`stepper.room.page` for a page's part)."""
