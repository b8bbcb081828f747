"""What ``reconciler init`` writes into an adopter's repository, and the names it sets up."""
