"""desk_app: a support workstation for 卡盟 platforms."""

__version__ = "0.1.0"
