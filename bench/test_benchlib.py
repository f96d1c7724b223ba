"""Tests of bench/benchlib.py: python3 -m unittest discover bench"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


class MeasureTest(unittest.TestCase):
    def test_measures_wall_cpu_memory_exit_code_and_output(self):
        code = "import sys; x = bytearray(60 * 1024 * 1024); s = sum(range(3_000_000)); print('out'); print('err', file=sys.stderr); sys.exit(3)"
        s = benchlib.measure([sys.executable, "-c", code])
        self.assertEqual(s.code, 3)
        self.assertEqual(s.out.strip(), "out")
        self.assertEqual(s.err.strip(), "err")
        self.assertGreater(s.rss_mb, 60)
        self.assertGreater(s.cpu, 0.01)
        self.assertGreaterEqual(s.wall, s.cpu * 0.5)

    def test_a_process_over_its_timeout_is_killed(self):
        s = benchlib.measure([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
        self.assertLess(s.wall, 10)
        self.assertNotEqual(s.code, 0)


class StatTest(unittest.TestCase):
    def test_median_min_max_ignore_missing_values(self):
        st = benchlib.Stat.of([3.0, 1.0, None, 2.0, 10.0])
        self.assertEqual((st.median, st.min, st.max, st.n), (2.5, 1.0, 10.0, 4))
        self.assertIsNone(benchlib.Stat.of([None]))

    def test_format(self):
        self.assertEqual(benchlib.fmt_stat(benchlib.Stat.of([1.0, 2.0, 4.0]), "s"), "2.00 s (1.00 - 4.00)")
        self.assertEqual(benchlib.fmt_stat(None), "-")


class TableTest(unittest.TestCase):
    def test_markdown_table_escapes_pipes_and_marks_missed_goals(self):
        rows = [benchlib.Row("start-up", "a | b", "1 s", "< 2 s", True), benchlib.Row("jar", "size", "50 MB", "< 40 MB", False)]
        md = benchlib.table(rows, markdown=True).splitlines()
        self.assertEqual(md[0], "| section | figure | median (min - max) | goal |  |")
        self.assertEqual(md[2], "| start-up | a \\| b | 1 s | < 2 s | met |")
        self.assertEqual(md[3], "| jar | size | 50 MB | < 40 MB | MISSED |")

    def test_results_list_missed_goals_only(self):
        r = benchlib.Results()
        r.add("a", "x", "1", "g", True)
        r.add("a", "y", "1", "g", False)
        r.add("a", "z", "1")
        self.assertEqual([row.what for row in r.missed()], ["y"])


class RegionTest(unittest.TestCase):
    def test_replaces_only_the_generated_region(self):
        doc = "# Title\n\nhand-written\n\n" + benchlib.BEGIN + "\nold\n" + benchlib.END + "\n\nafter\n"
        new = benchlib.replace_region(doc, "new table\n")
        self.assertEqual(new, "# Title\n\nhand-written\n\n" + benchlib.BEGIN + "\nnew table\n" + benchlib.END + "\n\nafter\n")

    def test_appends_the_region_when_missing(self):
        self.assertEqual(benchlib.replace_region("# T\n", "x"), "# T\n\n" + benchlib.BEGIN + "\nx\n" + benchlib.END + "\n")


class ClassListTest(unittest.TestCase):
    def test_union_of_dumps_without_hidden_classes(self):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a"), os.path.join(d, "b")
            with open(a, "w") as f:
                f.write("# NOTE: Do not modify this file.\njava/lang/Object\nio/x/Main\n@lambda-proxy io/x/Main run\n"
                        "io/x/Main$$Lambda$17+0x0000000800c0b000\njdk/proxy2/$Proxy4\n")
            with open(b, "w") as f:
                f.write("io/x/Main\nio/x/Other id: 12\njdk/internal/reflect/GeneratedConstructorAccessor1\n\n")
            self.assertEqual(benchlib.class_list([a, b]), ["io/x/Main", "io/x/Other", "java/lang/Object"])


class ThrottlingProxyTest(unittest.TestCase):
    def test_reads_above_the_rate_per_service_are_throttled_in_the_services_format_the_rest_relayed(self):
        import http.client
        import http.server
        import threading

        class Echo(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
        threading.Thread(target=upstream.serve_forever, daemon=True).start()
        proxy = benchlib.ThrottlingProxy(upstream.server_address[1], per_second=0.001, burst=2)
        try:
            def call(service, action):
                c = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
                auth = f"AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host"
                c.request("POST", "/", body=f"Action={action}&Version=1", headers={"Authorization": auth})
                r = c.getresponse()
                return r.status, r.read()

            self.assertEqual(call("cloudformation", "DescribeStacks"), (200, b"Action=DescribeStacks&Version=1"))
            self.assertEqual(call("cloudformation", "DescribeStacks")[0], 200)
            status, body = call("cloudformation", "DescribeStacks")
            self.assertEqual(status, 400)
            self.assertIn(b"<Code>Throttling</Code>", body)
            self.assertEqual(call("cloudformation", "CreateChangeSet")[0], 200, "writes are not throttled")
            self.assertEqual(call("ec2", "DescribeVpcs")[0], 200, "a bucket per service")
            self.assertEqual((proxy.requests, proxy.throttled), (5, 1))
        finally:
            proxy.close()
            upstream.shutdown()


if __name__ == "__main__":
    unittest.main()
