module dnstrace/lab/golookup

go 1.19
