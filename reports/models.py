"""The models of reports' rooms, gathered here because Django looks for an app's models in
`<app>.models`: each is defined, and imported from, its own room (reports.numbering holds the
registers that documents and memos share)."""

from reports.batch.models import PrintBatch, PrintJob
from reports.documents.models import AnalysisText, Committee, CommitteeMember, DocumentText
from reports.memos.models import (
    ActingDecider,
    ApprovalPolicy,
    FrozenAttachment,
    Memo,
    MemoEvent,
    MemoStep,
    MemoVersion,
)
from reports.numbering import NumberRegister
from reports.oit.models import LinkCheck, OitEntry, OitEstimate, OitEvidence, OitNote

__all__ = [
    "ActingDecider",
    "AnalysisText",
    "ApprovalPolicy",
    "Committee",
    "CommitteeMember",
    "DocumentText",
    "FrozenAttachment",
    "LinkCheck",
    "Memo",
    "MemoEvent",
    "MemoStep",
    "MemoVersion",
    "NumberRegister",
    "OitEntry",
    "OitEstimate",
    "OitEvidence",
    "OitNote",
    "PrintBatch",
    "PrintJob",
]
