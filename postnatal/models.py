"""Birth and after: the discharge planning meeting, the visit schedule, the review
conference and the mid-point review.
"""
