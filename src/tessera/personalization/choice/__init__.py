"""Voice and choice in a class: choice boards, learners' proposals and the class's progression."""
