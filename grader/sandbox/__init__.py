"""Where learner code runs: the fork server, the learner process, the locks, the seam and its wire codec."""
