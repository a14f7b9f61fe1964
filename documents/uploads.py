"""Receiving an upload no bigger than the limit.

Django reads a request's body when something first asks for request.POST or
request.FILES, storing each file as it arrives (in memory, or a temporary file past
2.5 MB). Checking the size in the form is too late: the body has been received and
stored by then. `UploadLimit`, put first among the request's upload handlers before
anything reads the body, refuses early:

- a request that says (Content-Length) it is larger than the limit and the form's
  allowance is read only as far as the start of its first file: the fields before it
  (the form's security token, the kind and the title, which browsers send first) are
  kept for the page that says the file is too big, and the file is never read;
- a file that turns out larger than the limit as it arrives, whatever the request said,
  is kept no further: nothing past the limit is stored.

Either way `too_large` is then true and the request has no file. Django's WSGI request
reads no further than the Content-Length says, so a client cannot send more than it
declared; limit the body at the proxy in front too (docs/operations.md).
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Besides the file: the form's fields, file name and multipart headers (a few hundred
# bytes in a browser's request), with room to spare.
FORM_ALLOWANCE = 64 * 1024


class UploadLimit(FileUploadHandler):
    """Passes each chunk on to the handlers that store it, until the request's files
    come to more than `limit` bytes together."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Called with the declared length before any of the body is read.
        if content_length > self.limit + FORM_ALLOWANCE:
            self.too_large = True
        return None  # the parsing goes on as usual, for the fields before the file

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.too_large:
            # Stop reading here: the rest of the body is left unread.
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            # What is left is at most the form's allowance (the request said it was
            # small): read and dropped, so the browser is sent the page cleanly.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the handlers after this one make the file
