"""A person's name in other scripts and transliterations, on the person's names page of a dialogue's roster
(issue 22): the attribution guard looks for every form on file."""
