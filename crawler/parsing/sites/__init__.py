"""Site parsers, one module per portal, only where a field needs more than the generic parser.

A site parser overrides just that field, registers its hosts with @register, and is imported
here; a site of the registry can also name its host in `parser`. None is needed today: the
generic parser reads 法治资讯网 and 辽宁长安网 as they are.
"""
