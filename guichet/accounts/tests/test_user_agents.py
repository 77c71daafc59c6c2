from guichet.accounts.user_agents import user_agent_summary

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile Safari/604.1"
)
EDGE_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0"


def test_summarises_browser_and_system_families_only():
    assert user_agent_summary(FIREFOX_LINUX) == ("Firefox", "Linux")
    assert user_agent_summary(CHROME_ANDROID) == ("Chrome", "Android")
    assert user_agent_summary(SAFARI_IPHONE) == ("Safari", "iOS")
    assert user_agent_summary(EDGE_WINDOWS) == ("Microsoft Edge", "Windows")


def test_unknown_agent_gives_empty_summary():
    assert user_agent_summary("curl/8.5") == ("", "")
