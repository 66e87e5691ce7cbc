"""What staff and integrations do: customers, their addresses and groups, imports, tenants."""
