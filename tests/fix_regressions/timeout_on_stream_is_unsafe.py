# safe fixes only
"""`timeout=10` also bounds each pause of a streamed body, read later: not a safe fix there.
Only the calls that read their whole body at once get it as a safe fix."""

import urllib.request

import requests


def status(url):
    return requests.get(url).json()


def events(url):
    with requests.get(url, stream=True) as response:
        for line in response.iter_lines():
            yield line


def download(url, streamed):
    return requests.get(url, stream=streamed)


def feed(url):
    return urllib.request.urlopen(url)


def page(url):
    return urllib.request.urlopen(url).read()
