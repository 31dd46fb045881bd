"""Portal"""
