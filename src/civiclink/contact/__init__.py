"""Contact"""
