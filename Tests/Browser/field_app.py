#!/usr/bin/env python3
"""The field app driven as people use it: a real headless Chromium at phone size (360x800).

On the demo township, with a township relay the test starts (real processes of the release build):
  - teacher A records three one-day unexcused absences (which open a ledger entry), a home visit
    with a photo, settles the conflict the demo left, and syncs with the relay from the 同步 page;
  - teacher B's app syncs and then shows that visit with its photo;
  - the village liaison surveys five households;
  - the school admin downloads the month's report: openpyxl reads the XLSX's Chinese back, `baoxue report verify`
    passes the folder with its signed manifest and refuses it once a byte of the workbook is flipped;
  - a new phone's enrollment request travels to the relay, the township office approves it on 入网申请, the phone syncs;
  - the bureau revokes a lost phone from 本区设备, and the relay takes nothing more from it;
  - the relay operator's page (relay serve --console) lists the devices that synced and no child;
  - the same page on a relay cluster (relay serve --store postgresql://… --console) lists the teacher who synced there.
axe-core (axe-selenium-python) checks every page: no serious or critical violation is allowed.
A screenshot of every page goes to the output folder (argument 2).

Usage: field_app.py BAOXUE_BINARY OUTPUT_FOLDER
"""

import datetime
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BIN, OUT = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="baoxue-browser-")
PROCESSES = []
VIOLATIONS = []
SHOTS = []
# The demo's authority passphrase (TownshipDemo.authorityPassphrase; the demo prints it).
AUTHORITY_PASSPHRASE = "东镇演示-授权口令-2026"


def start(args, ready):
    """Starts a baoxue process; returns the first match of `ready` in its output."""
    log = open(os.path.join(WORK, f"proc-{len(PROCESSES)}.out"), "w+")
    proc = subprocess.Popen([BIN] + args, stdout=log, stderr=subprocess.STDOUT)
    PROCESSES.append(proc)
    for _ in range(200):
        log.seek(0)
        found = re.search(ready, log.read())
        if found:
            return found.group(1) if len(found.groups()) == 1 else found.groups()
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    log.seek(0)
    raise SystemExit(f"{args[0]} did not start: {log.read()}")


class Postgres:
    """A throwaway PostgreSQL on a Unix socket in a folder of its own, as the Swift tests' PostgresCluster makes
    it (under root its programs run as the `postgres` user; `bash tools/run test` installs postgresql-15)."""

    def __init__(self):
        versions = sorted(int(v) for v in os.listdir("/usr/lib/postgresql") if v.isdigit())
        self.bin = f"/usr/lib/postgresql/{versions[-1]}/bin"
        # In the temporary folder, not under WORK (0700): the postgres user must reach it.
        self.folder = tempfile.mkdtemp(prefix="baoxue-browser-pg-")
        os.chmod(self.folder, 0o755)
        self.as_pg = []
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_pg = ["/usr/sbin/runuser", "-u", "postgres", "--"]
        self.data = self.folder + "/data"
        self.run("initdb", "-D", self.data, "-U", "baoxue", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.run("pg_ctl", "-D", self.data, "-l", self.folder + "/server.log", "-w", "-t", "60",
                 "-o", f"-k {self.folder} -c listen_addresses=''", "start")
        self.run("createdb", "-h", self.folder, "-U", "baoxue", "township")
        self.url = f"postgresql://baoxue@/township?host={self.folder}"

    def run(self, program, *args):
        # Output to a file, not a pipe: the server pg_ctl starts keeps it open, and a pipe would never end.
        with open(os.path.join(WORK, "postgres.out"), "a") as out:
            done = subprocess.run(self.as_pg + [f"{self.bin}/{program}", *args], stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.STDOUT)
        if done.returncode != 0:
            with open(os.path.join(WORK, "postgres.out")) as out:
                raise SystemExit(f"PostgreSQL: {program} exited {done.returncode}: {out.read()[-2000:]}")

    def stop(self):
        try:
            self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def png(width, height):
    """A real PNG (a green and white band), so the browser can draw it."""
    rows = b"".join(b"\x00" + bytes([20, 83, 45] * width if y < height // 2 else [246, 246, 244] * width) for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def browser(downloads):
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=360,800", "--hide-scrollbars", "--lang=zh-CN"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    # The layout viewport a 360-px phone has, whatever the window's chrome takes.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


def check(driver, name):
    """Screenshot, axe, and the phone rules every page must keep: no sideways scrolling, text >= 16 px, targets >= 44 px."""
    path = os.path.join(OUT, f"{len(SHOTS) + 1:02d}-{name}.png")
    driver.save_screenshot(path)
    SHOTS.append(path)
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    for v in results["violations"]:
        if v.get("impact") in ("serious", "critical"):
            VIOLATIONS.append(f"{name}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}")
    wide = driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, f"{name}: the page scrolls sideways at 360 px"
    small = driver.execute_script("""
        const out = [];
        for (const e of document.querySelectorAll('body *')) {
          const t = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
          if (t && e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 16) out.push(e.tagName + ' ' + e.textContent.trim().slice(0, 20));
        }
        for (const e of document.querySelectorAll('a, button, input:not([type=hidden])')) {
          // A radio's target is its whole label (the tappable box around it).
          const r = (e.closest('label') || e).getBoundingClientRect();
          if (r.width && r.height < 44 && !e.closest('p, ul.timeline, dd')) out.push('target ' + e.tagName + ' ' + r.height);
        }
        return out;""")
    assert not small, f"{name}: too small: {small[:5]}"


def full_page(driver, name):
    """A screenshot of the whole page at phone width (for the README), then the phone's viewport again."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": height, "deviceScaleFactor": 1, "mobile": True})
    driver.save_screenshot(os.path.join(OUT, f"{name}-full.png"))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})


def open_app(driver, url, name):
    driver.get(url)
    check(driver, name)


def click_text(driver, text):
    """Taps a link or button by its words and waits for the next page to load."""
    tap(driver, driver.find_element(By.XPATH, f"//*[self::a or self::button][contains(normalize-space(.), '{text}')]"))


def tap(driver, element):
    """Clicks, then waits until a new document has loaded (a page's globals vanish when it is left)."""
    driver.execute_script("window.__baoxueOld = true; arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()

    def loaded(d):
        try:
            return d.execute_script("return window.__baoxueOld === undefined && document.readyState === 'complete'")
        except Exception:
            return False
    WebDriverWait(driver, 15).until(loaded)


def fill(driver, values):
    for name, value in values.items():
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)


def choose(driver, name, value):
    radio = driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
    radio.click()


def set_date(driver, name, value):
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.NAME, name), value)


def school_days_before(today, n):
    days, d = [], today
    while len(days) < n:
        d -= datetime.timedelta(days=1)
        if d.weekday() < 5:
            days.append(d)
    return sorted(days)


def main():
    os.makedirs(OUT, exist_ok=True)
    demo = os.path.join(WORK, "demo")
    subprocess.run([BIN, "demo", "--township", "--dir", demo, "--children", "40", "--lang", "en"], check=True, capture_output=True)
    def serve_relay(*store):
        """The demo's relay with its operator's page (on SQLite, or with `store` options on PostgreSQL): (port, page)."""
        return start(["relay", "serve", "--data", f"{demo}/relay", "--listen", "127.0.0.1:0", "--lang", "en", *store,
                      "--console", "127.0.0.1:0"], r"(?s)listening on port (\d+).*operations page: (http://\S+token=[0-9a-f]+)")
    port, console = serve_relay()
    relay = "127.0.0.1:" + port
    relay_process = PROCESSES[-1]
    postgres = None
    def ui(who):
        return start(["ui", "--dir", f"{demo}/{who}", "--relay", relay], r"(http://127\.0\.0\.1:\d+/\?token=[0-9a-f]+)")
    downloads = os.path.join(WORK, "downloads")
    os.makedirs(downloads)
    driver = browser(downloads)
    try:
        # Teacher A: a child not on any ledger yet.
        open_app(driver, ui("teacher-a"), "teacher-today")
        click_text(driver, "儿童")
        check(driver, "teacher-children")
        cards = driver.find_elements(By.CSS_SELECTOR, "ul.cards a")
        child_url = cards[-1].get_attribute("href")
        name = cards[-1].text.split("\n")[0]
        fill(driver, {"q": name})
        click_text(driver, "查找")
        assert name in driver.page_source
        driver.get(child_url)
        check(driver, "teacher-child")
        assert "疑似辍学/失学台账" not in driver.page_source
        today = datetime.date.fromisoformat(re.search(r"今日工作 (\d{4}-\d{2}-\d{2})", open_today(driver, child_url)).group(1))
        for i, day in enumerate(school_days_before(today, 3)):
            driver.get(child_url)
            click_text(driver, "记录缺课")
            if i == 0:
                check(driver, "teacher-absence")
            set_date(driver, "from", day.isoformat())
            set_date(driver, "to", day.isoformat())
            fill(driver, {"days": "1"})
            choose(driver, "excused", "no")
            click_text(driver, "保存")
            errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".error")]
            assert "已记录" in driver.page_source, (day, errors, driver.current_url, driver.title)
        assert "疑似辍学/失学台账" in driver.page_source and "在册" in driver.page_source, "three days open a ledger entry"
        check(driver, "teacher-child-on-ledger")
        # A home visit with a photo from the "camera".
        photo = os.path.join(WORK, "家访.png")
        with open(photo, "wb") as f:
            f.write(png(240, 160))
        click_text(driver, "记录家访")
        fill(driver, {"with": "王老师，赵联络员", "spokeTo": "母亲", "agreed": "下周一返校"})
        driver.find_element(By.NAME, "photo").send_keys(photo)
        check(driver, "teacher-visit")
        click_text(driver, "保存")
        assert "下周一返校" in driver.page_source and "<img" in driver.page_source
        # The conflict the demo left: both values, who wrote each; one tap settles it.
        driver.get(child_url.split("/child/")[0] + "/conflicts")
        check(driver, "teacher-conflicts")
        assert "记录人" in driver.page_source
        tap(driver, driver.find_elements(By.XPATH, "//button[contains(., '以此为准')]")[0])
        assert "已核实" in driver.page_source and "没有待核实的冲突" in driver.page_source
        # 同步 with the township relay.
        click_text(driver, "同步")
        check(driver, "teacher-sync")
        assert "尚未得到乡镇中继的回执" in driver.page_source
        click_text(driver, "开始同步")
        wait_for(driver, "已与")
        check(driver, "teacher-synced")

        # Teacher B's device: sync, then the visit with its photo is there.
        open_app(driver, ui("teacher-b"), "second-today")
        click_text(driver, "同步")
        click_text(driver, "开始同步")
        wait_for(driver, "已与")
        driver.get(child_url.replace(child_url.split("/child/")[0], driver.current_url.split("/sync")[0]))
        assert "下周一返校" in driver.page_source, "the visit reached the second device"
        # The photo loads after the page: wait (up to 10 s) for it to be decoded, as a person would look.
        shown = None
        for _ in range(100):
            shown = driver.execute_script(
                "const i = document.querySelector('.photos img'); return i && i.complete && i.naturalWidth;")
            if shown:
                break
            time.sleep(0.1)
        assert shown == 240, f"the photo shows on the second device ({shown})"
        check(driver, "second-child-with-photo")

        # The liaison's sweep: five households.
        open_app(driver, ui("liaison"), "liaison-survey")
        fill(driver, {"village": "示例村7", "team": "赵联络员"})
        click_text(driver, "开始摸排")
        for n, (found, finding) in enumerate([("2", "allAttending"), ("1", "noHukou"), ("0", "householdAbsent"),
                                               ("3", "allAttending"), ("1", "notAttending")]):
            fill(driver, {"address": f"示例村7 {n + 1}号", "found": found})
            choose(driver, "finding", finding)
            click_text(driver, "保存这一户")
            if n == 0:
                check(driver, "liaison-household")
        assert "已查 5 户" in driver.page_source or "5 户" in driver.page_source, driver.page_source[-800:]
        check(driver, "liaison-sweep")

        # The school admin: the ledgers, then the month's XLSX.
        open_app(driver, ui("school-admin"), "admin-today")
        click_text(driver, "台账")
        check(driver, "admin-ledgers")
        choose(driver, "kind", "monthly")
        click_text(driver, "生成报表")
        check(driver, "admin-reports")
        driver.find_element(By.XPATH, "//a[contains(., '.xlsx')]").click()
        book = wait_for_download(downloads)
        import openpyxl
        workbook = openpyxl.load_workbook(book)
        text = " ".join(str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
        assert "学校" in text and re.search(r"[\u4e00-\u9fff]{2,}", text), text[:300]
        print(f"admin: {os.path.basename(book)} read back, {len(workbook.worksheets)} sheet(s), e.g. {text[:60]!r}")
        # The rest of the report (a CSV per sheet, then the manifest signed at download): verified offline, then
        # a byte flipped in the workbook is refused, naming the file.
        links = driver.find_elements(By.XPATH, "//a[@download]")
        names = [a.text.split("\n")[0] for a in links]
        for a in links[1:]:
            a.click()
            time.sleep(0.3)
        for _ in range(200):
            if all(os.path.exists(os.path.join(downloads, n)) for n in names):
                break
            time.sleep(0.1)
        assert all(os.path.exists(os.path.join(downloads, n)) for n in names), (names, os.listdir(downloads))
        good = subprocess.run([BIN, "report", "verify", downloads], capture_output=True, text=True)
        assert good.returncode == 0 and "核验通过" in good.stdout, good.stdout + good.stderr
        with open(book, "r+b") as f:
            f.seek(1000)
            byte = f.read(1)
            f.seek(1000)
            f.write(bytes([byte[0] ^ 0x01]))
        bad = subprocess.run([BIN, "report", "verify", downloads], capture_output=True, text=True)
        assert bad.returncode == 1 and os.path.basename(book) in bad.stdout + bad.stderr and "已被改动" in bad.stdout + bad.stderr, bad.stdout
        print(f"admin: the downloaded report ({len(names)} files) verifies; with one byte changed it is refused, naming the workbook")

        # Last month's figures published, then the dashboard: the district's charts, one school, its children.
        tap(driver, driver.find_element(By.CSS_SELECTOR, "nav a[href='/ledgers']"))
        click_text(driver, "签名上报")
        assert "的月度汇总数" in driver.page_source, driver.page_source[-600:]
        click_text(driver, "数据看板")
        assert "<svg" in driver.page_source and "新进台账" in driver.page_source, driver.page_source[-600:]
        check(driver, "admin-dashboard")
        tap(driver, driver.find_element(By.XPATH, "//a[contains(@href, '/dashboard/school')]"))
        assert "的儿童（" in driver.page_source, driver.page_source[-600:]
        check(driver, "admin-dashboard-school")

        # Me, in both languages; its fingerprint QR code, as a camera sees it on the screen, reads as the fingerprint.
        click_text(driver, "我的")
        check(driver, "admin-me")
        shot = os.path.join(WORK, "qr.png")
        driver.find_element(By.CSS_SELECTOR, "figure.qr svg").screenshot(shot)
        read = subprocess.run(["zbarimg", "-q", "--raw", shot], capture_output=True, text=True).stdout.strip()
        shown = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", driver.find_element(By.TAG_NAME, "figcaption").text)
        assert shown and read == shown.group(0), f"the QR code reads {read!r}, the page shows {shown and shown.group(0)}"
        print(f"admin: the fingerprint QR code on 我的 reads {read}")

        # A new teacher's phone leaves its request at the relay's desk; the township office (it holds the
        # township's delegation) compares the fingerprint and approves on 入网申请; the phone collects its certificate.
        phone = os.path.join(WORK, "new-phone")
        subprocess.run([BIN, "init", "--dir", phone], check=True, capture_output=True)
        school = json.loads(subprocess.run([BIN, "whoami", "--dir", f"{demo}/teacher-a", "--json"], check=True,
                                           capture_output=True, text=True).stdout)["scopes"][0]
        authority = open(f"{demo}/district-admin/authority").read().strip()
        asked = subprocess.run([BIN, "enroll", "request", "--dir", phone, "--name", "钱老师", "--role", "teacher", "--scope", school,
                                "--relay", relay, "--authority", authority], capture_output=True, text=True)
        fingerprint = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", asked.stdout)
        assert asked.returncode == 0 and fingerprint, asked.stdout + asked.stderr
        open_app(driver, ui("township-admin"), "office-today")
        click_text(driver, "我的")
        click_text(driver, "入网申请")
        check(driver, "office-enrollments")
        card = driver.find_element(By.XPATH, "//ul[@class='devices']/li[contains(., '钱老师')]")
        assert fingerprint.group(0) in card.text, f"the console shows {card.text!r}, the phone {fingerprint.group(0)}"
        full_page(driver, "office-enrollments")
        tap(driver, card.find_element(By.XPATH, ".//button[contains(., '批准')]"))
        assert "已批准 钱老师" in driver.page_source and "没有等待审批的申请" in driver.page_source, driver.page_source[-800:]
        check(driver, "office-approved")
        collected = subprocess.run([BIN, "sync", relay, "--dir", phone], capture_output=True, text=True)
        assert collected.returncode == 0 and os.path.exists(os.path.join(phone, "certificate")), collected.stdout + collected.stderr
        whoami = json.loads(subprocess.run([BIN, "whoami", "--dir", phone, "--json"], check=True, capture_output=True, text=True).stdout)
        assert whoami["name"] == "钱老师" and whoami["scopes"] == [school], whoami
        print(f"enrollment: the request travelled phone -> relay -> office, approved; the phone synced as 钱老师 ({fingerprint.group(0)})")

        # The bureau's device (it keeps the authority key): 本区设备, then teacher C's phone is lost and revoked.
        open_app(driver, ui("district-admin"), "bureau-today")
        click_text(driver, "我的")
        click_text(driver, "本区设备")
        check(driver, "bureau-devices")
        assert "周老师（教师）" in driver.page_source and "证书有效期至" in driver.page_source, driver.page_source[-800:]
        # What the relay says of each device (its last session there, how far behind), asked over the relay's desk.
        teacher_a = driver.find_element(By.XPATH, "//ul[@class='devices']/li[contains(., '王老师')]").text
        assert "中继：最近同步" in teacher_a, teacher_a
        card = driver.find_element(By.XPATH, "//ul[@class='devices']/li[contains(., '周老师')]")
        tap(driver, card.find_element(By.XPATH, ".//a[contains(., '吊销')]"))
        check(driver, "bureau-revoke")
        fill(driver, {"reason": "手机丢失", "passphrase": "wrong passphrase"})
        click_text(driver, "确认吊销")
        assert "口令" in driver.find_element(By.ID, "passphrase-error").text, driver.page_source[-800:]
        check(driver, "bureau-revoke-wrong-passphrase")
        fill(driver, {"reason": "手机丢失", "passphrase": AUTHORITY_PASSPHRASE})
        click_text(driver, "确认吊销")
        assert "已吊销 周老师" in driver.page_source, driver.page_source[-800:]
        assert "吊销：手机丢失" in driver.find_element(By.XPATH, "//ul[@class='devices']/li[contains(., '周老师')]").text
        check(driver, "bureau-revoked")
        click_text(driver, "同步")
        click_text(driver, "开始同步")
        wait_for(driver, "已与")
        lost = subprocess.run([BIN, "sync", relay, "--dir", f"{demo}/teacher-c"], capture_output=True, text=True)
        # The relay takes nothing from it and gives it only its revocation, on which the phone wipes its school keys and views.
        said = lost.stdout + lost.stderr
        assert "发出 0 条，收到 1 条" in said and "本设备已被吊销" in said and "已清除" in said, said
        print("revoked phone: the relay took nothing and handed it its revocation; it wiped its keys and views")

        # The relay operator's page: the devices that synced above, no child.
        open_app(driver, console + "&lang=zh", "relay-console")
        source = driver.page_source
        assert "运行正常" in source and "王老师（教师）" in source and "共 " in source, source[-800:]
        assert name not in source, "a child's name on the relay's page"
        full_page(driver, "relay-console")
        # It reloads itself (console.js) until the operator unticks the box.
        before = driver.execute_script("return performance.timeOrigin")
        time.sleep(16)
        assert driver.execute_script("return performance.timeOrigin") != before, "the page did not refresh itself"
        driver.find_element(By.CSS_SELECTOR, "#auto-refresh label").click()
        paused = driver.execute_script("return performance.timeOrigin")
        time.sleep(16)
        assert driver.execute_script("return performance.timeOrigin") == paused, "unticked, the page still refreshed"
        print(f"relay console: {source.count('<li><strong>')} device(s) listed")

        # The same page on a relay cluster (relay serve --store postgresql://… --console): the relay's folder now
        # stores in a shared PostgreSQL under a quota; a teacher syncs there and the page lists her, read from the database.
        relay_process.terminate()
        relay_process.wait(timeout=15)
        postgres = Postgres()
        cluster_port, cluster_console = serve_relay("--store", postgres.url, "--max-db-mib", "512")
        synced = subprocess.run([BIN, "sync", f"127.0.0.1:{cluster_port}", "--dir", f"{demo}/teacher-a"],
                                capture_output=True, text=True)
        assert synced.returncode == 0, synced.stdout + synced.stderr
        open_app(driver, cluster_console + "&lang=zh", "cluster-console")
        source = driver.page_source
        assert "王老师（教师）" in source and "共 1 台设备" in source, source[-1500:]
        assert "配额 512 MiB" in source, "the page does not show the cluster's quota"
        assert name not in source, "a child's name on the cluster's page"
        full_page(driver, "cluster-console")
        print("cluster console: the teacher who synced at the PostgreSQL-backed relay is listed, with the quota")
    finally:
        driver.quit()
        for p in PROCESSES:
            p.terminate()
        for p in PROCESSES:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        if postgres:
            postgres.stop()
    print(f"{len(SHOTS)} pages checked at 360x800; screenshots in {OUT}")
    if VIOLATIONS:
        print("accessibility (axe) serious or critical violations:")
        for v in VIOLATIONS:
            print("  " + v)
        raise SystemExit(1)
    print("axe: 0 serious or critical violations")
    shutil.rmtree(WORK, ignore_errors=True)


def open_today(driver, child_url):
    driver.get(child_url.split("/child/")[0] + "/")
    return driver.page_source


def wait_for(driver, text, seconds=30):
    for _ in range(seconds * 10):
        if text in driver.page_source:
            return
        time.sleep(0.1)
        if "/sync" in driver.current_url and "正在" in driver.page_source:
            continue
    raise AssertionError(f"'{text}' did not appear: {driver.page_source[-800:]}")


def wait_for_download(folder, seconds=20):
    for _ in range(seconds * 10):
        done = [f for f in os.listdir(folder) if f.endswith(".xlsx")]
        if done:
            return os.path.join(folder, done[0])
        time.sleep(0.1)
    raise AssertionError(f"no workbook downloaded: {os.listdir(folder)}")


if __name__ == "__main__":
    main()
