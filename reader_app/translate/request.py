"""What a translation is asked for: the tracing child's describe request, under the name the UI uses."""
from reader_app.trace.describe import DescribeRequest as TranslateRequest

__all__ = ["TranslateRequest"]
