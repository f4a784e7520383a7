"""Background work: a job table any number of worker processes take jobs from."""
