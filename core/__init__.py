"""The channel-neutral core: what a conversation is, whatever the messenger and the process.

- `messages`: the vocabulary (Incoming; Reply, Toast, DeleteMessages, Notify; Delivery, Receipt)
- `actions`: button actions and their one codec
- `router`: what each feature answers (actions, commands, states)
- `context`: what a handler receives
- `engine`: one update in: load her and her conversation, call the handler, save, commit once
- `flood`: flood control
- `delivery`: the one path of every message sent on the bot's own or to someone else
- `logs`: structured logs without personal data

The core imports storage and content, never a channel, the scheduler, the handlers or the shell
(`bot/`); tests/test_layers.py holds it to that.
"""
