# Nothing of funding is registered in the admin. Funders, their officers and grants are managed on funding's
# own pages, audited; the admin's pages for a funder showed its grants' amounts on the delete page
# (docs/decisions/0013-admin.md).
