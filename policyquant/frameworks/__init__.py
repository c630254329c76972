"""Frameworks that ship with policyquant, each a plugin module of its own.

Built-in framework plugins are listed in
:data:`policyquant.plugins.DEFAULT_PLUGINS` and registered through the same
hook as third-party plugins; import them through
:func:`policyquant.get_framework` rather than from here.
"""
