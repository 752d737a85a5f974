from jinja2.sandbox import SandboxedEnvironment
t = jinja2.Environment()
s = SandboxedEnvironment()
