"""Study hours (学时): a ledger of credits for study done on the platform, each rule's hours
and a daily cap set by admins, the yearly total against the target, the cohort's totals for
coordinators, and a certificate when a cadre completes a cohort's programme.

Other features record credits through `services.record_credit`. The blueprint lives in
`views`; importing this package loads nothing else."""
