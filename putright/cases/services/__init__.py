"""Writes: every change to a case is one function here, one transaction each.

Modules follow the procedure: ``intake`` (logging a complaint), ``triage``,
``investigation`` (contact, evidence, extensions), ``responses`` (responses,
actions, closure), ``escalation`` (stage 2 and the appeal), ``changes``
(withdrawal, reassignment, new matters), ``concerns`` (safeguarding, health and
safety, restrictions) and ``customers``.
"""
