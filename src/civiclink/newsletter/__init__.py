"""Newsletter"""
