"""Imported by the upload worker's fork server (``worker``) and nowhere else: the parser's modules,
and everything it loads lazily (the word segmenter's model, the gazetteers, the readers) loaded
once by preparing a small document, so that each forked child starts warm."""
from ingest.readers import RawDocument

from .prepare import Job, prepare

_SAMPLE = ("TỈNH ỦY LAI CHÂU\nSố 1-KH/TU\nLai Châu, ngày 02 tháng 01 năm 2024\n\nKẾ HOẠCH\nvề khởi động\n\n"
           "I. MỤC ĐÍCH\n1. Các chi bộ phải tổ chức học tập chuyên đề trước ngày 31/05/2024.\n")
prepare(Job("khoi-dong.txt", raw=RawDocument("khoi-dong.txt", "txt", _SAMPLE, {})))
prepare(Job("khoi-dong.txt", data=_SAMPLE.encode()))
