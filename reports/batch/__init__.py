"""Batch printing: all documents of a fiscal year for many organisations, printed by the task
workers one document per task (tasks, runner), then packed into one ZIP file (archive).

A batch for the measures year N holds, for each organisation, the analysis of the results of N-1
(the year the plan answers) and the plan, progress report and committee order of N, where the
organisation's data has them.

Every document's PDF is stored under a key made of its organisation, year, kind and a hash of its
content. A task that runs twice (a retry, a duplicate delivery, a worker lost after the work was
done) finds the file already there; a file is written under a temporary name and renamed into
place, so a half-written file never carries the key.
"""
