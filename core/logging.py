"""Structured logs: one JSON object a line on standard output, for the platform to collect."""

import datetime
import json
import logging


class JsonFormatter(logging.Formatter):
    FIELDS = ("status_code", "method", "path")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"], entry["path"] = request.method, request.path
        if getattr(record, "status_code", None):
            entry["status_code"] = record.status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
