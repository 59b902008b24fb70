"""The client against a live gateway (see live_gateway.py)."""

from __future__ import annotations

import threading
import unittest

from live_gateway import FRAME, LABELS, MISSION, LiveGateway
from teacher_gateway import GatewayError, TeacherGateway

live = LiveGateway()


def setUpModule() -> None:
    live.start()


def tearDownModule() -> None:
    live.stop()


class ClientTest(unittest.TestCase):
    def setUp(self) -> None:
        self.gateway = TeacherGateway(live.url, retries=0)
        self.png = FRAME.read_bytes()

    def tearDown(self) -> None:
        self.gateway.close()

    def suggest(self, **extra):
        return self.gateway.suggest(
            template="minigrid-lvlm2p",
            observation={"image": self.gateway.image_ref(self.png), "text": MISSION},
            actions={"kind": "discrete", "labels": LABELS},
            **extra,
        )

    def test_suggest_returns_a_distribution_and_a_second_ask_hits_the_cache(self) -> None:
        first = self.suggest(tags={"run": "python-unittest"})
        self.assertEqual(len(first["probs"]), len(LABELS))
        self.assertAlmostEqual(sum(first["probs"]), 1.0, places=6)
        self.assertEqual(first["action"], 1, "the agent faces west with the key to its north: turn right")
        self.assertEqual(self.suggest()["cache"], "hit")

    def test_requests_share_one_kept_alive_connection(self) -> None:
        self.gateway.health()
        self.gateway.providers()
        self.suggest()
        self.suggest_batch_of(3)
        self.assertEqual(self.gateway._transport.connections_opened, 1)

    def test_each_thread_has_its_own_connection(self) -> None:
        results = []
        def ask() -> None:
            results.append(self.suggest()["probs"])
            self.gateway.close()  # this thread's connection

        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(results), 4)
        self.assertLessEqual(self.gateway._transport.connections_opened, 4)

    def suggest_batch_of(self, count: int):
        request = TeacherGateway.request("minigrid-lvlm2p", {"image": self.gateway.image_ref(self.png), "text": MISSION}, {"kind": "discrete", "labels": LABELS})
        return self.gateway.suggest_batch([request] * count)

    def test_batch_items_fail_alone(self) -> None:
        good = TeacherGateway.request("minigrid-lvlm2p", {"image": self.gateway.image_ref(self.png), "text": MISSION}, {"kind": "discrete", "labels": LABELS})
        bad = TeacherGateway.request("no-such-template", {"text": MISSION}, {"kind": "discrete", "labels": LABELS})
        results = self.gateway.suggest_batch([good, bad])
        self.assertIn("probs", results[0])
        self.assertIsInstance(results[1], GatewayError)

    def test_an_invalid_request_is_a_gateway_error_with_code_and_status(self) -> None:
        with self.assertRaises(GatewayError) as raised:
            self.gateway.suggest(template="minigrid-lvlm2p", observation={"text": MISSION}, actions={"kind": "discrete", "labels": []})
        self.assertEqual(raised.exception.code, "invalid_request")
        self.assertEqual(raised.exception.status, 400)
        self.assertFalse(raised.exception.retryable)

    def test_no_gateway_is_a_retryable_network_error_naming_the_url(self) -> None:
        from live_gateway import _free_port

        url = f"http://127.0.0.1:{_free_port()}"
        with self.assertRaises(GatewayError) as raised:
            TeacherGateway(url, retries=0).health()
        self.assertEqual(raised.exception.code, "network_error")
        self.assertTrue(raised.exception.retryable)
        self.assertIn(url, raised.exception.message)


if __name__ == "__main__":
    unittest.main()
