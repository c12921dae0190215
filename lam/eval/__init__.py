"""Offline (teacher-forced, per step) and online (closed loop in the simulator) evaluation."""
