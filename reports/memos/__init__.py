"""Memos (บันทึกข้อความ) and their approval chain: drafting (drafts), the chain's rules and writes
(services), the printed memo with its verification code (document), and their pages (views)."""
