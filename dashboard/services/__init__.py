"""Services: the only writers. Each public write runs in one transaction."""
