"""绩效表格校核 command line: ``check`` audits, ``run`` writes corrected workbooks, ``watch`` waits for
them.  ``python process.py …`` in a checkout and the installed ``jxjh …`` are this same group."""

from __future__ import annotations

import logging
import signal
import sys
import time
from pathlib import Path

import click

from . import __version__, batch as batches
from .outdir import OutputError
from .resources import SCHEMA_DIR, TEMPLATES, checkout
from .workers import default_jobs
from .progress import Reporter, setup_logging
from .render import summary_line
from .indicators.grades import parse_bands
from .schema import Config, ConfigError, parse_number_list, parse_option_weights

DEFAULT_INBOX = TEMPLATES / "examples"
DEFAULT_OUTPUT = (checkout() or Path.cwd()) / "output"  # beside the checkout, else where it is called


def _config(option_weights: str | None, question_points: str | None, grade_bands: str | None,
            evaluation: bool = False, schemas: Path | None = None) -> Config:
    try:
        if schemas is not None:
            missing = sorted(p.name for p in SCHEMA_DIR.glob("*.yaml") if not (schemas / p.name).is_file())
            if missing:
                raise ConfigError(f"--schemas {schemas} 中缺少 {'、'.join(missing)}；请复制整个 schemas 文件夹后再修改")
        config = Config(
            option_weights=parse_option_weights(option_weights) if option_weights else None,
            question_points=parse_number_list(question_points, "--question-points") if question_points else None,
            grade_bands=grade_bands, report_kind="绩效评价报告" if evaluation else None,
            **({"schema_dir": schemas.resolve()} if schemas is not None else {}),
        )
        if grade_bands:
            parse_bands(grade_bands, config.schema("indicators"))  # refuse a bad value before any file is read
        return config
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


class InternalError(click.ClickException):
    """The tool could not run (exit code 2), through no fault of the user's input or options."""

    exit_code = 2


def scheme_options(func):
    func = click.option("--schemas", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
                        metavar="DIR", help="另用一份规则文件夹（复制自带的 schemas 后修改：别名、权重、等级标准、"
                                            "自评表评分规则等）；其中须有全部规则文件。")(func)
    func = click.option("--grade-bands", metavar="NAME|优:90,良:80,中:60",
                        help="评价等级标准：schemas/indicators.yaml 中的预设名（national、xinjiang-2022），"
                             "或各等级的最低分；覆盖表内说明和默认标准。")(func)
    func = click.option("--question-points", metavar="P1,P2,...",
                        help="题目分值：一个数（每题相同）或每题一个，如 20,10,10,…；覆盖表内推断。")(func)
    func = click.option("--option-weights", metavar="WA,WB,...|NAME",
                        help="选项权重 A..E，如 1,0.8,0.6,0.4,0.2，或 schemas 中的预设名；覆盖表内推断。")(func)
    return func


def batch_options(func):
    func = click.option("--log-file", type=click.Path(dir_okay=False), default=None,
                        help="另把每个项目一行的日志（时间、项目、状态、错误/警告数、输出位置）追加写入此文件。")(func)
    func = click.option("-q", "--quiet", is_flag=True,
                        help="只输出最后一行汇总（以及无法继续的错误）；不显示进度和逐个文件的结果。")(func)
    func = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
                        help="并行处理的进程数，默认为本机 CPU 核数；结果与 --jobs 1 完全相同。")(func)
    return func


def _execute(ctx, work, as_json: bool, quiet: bool, log_file: str | None, output_root=None, footer: str = ""):
    """Run a batch with its report streamed as projects finish; exit with the batch's code."""
    debug = ctx.obj["debug"]
    stderr = sys.stderr
    setup_logging(quiet, log_file, debug, stderr)
    batch = batches.Batch(keep=False)
    reporter = Reporter(lambda: batch.planned, None if quiet and not as_json else click.echo, stderr, quiet,
                        as_json=as_json, output_root=output_root)
    batch.listeners.append(reporter)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # SIGTERM stops a batch as Ctrl-C does
    try:
        work(batch)
    except ConfigError as exc:
        reporter.abort(batch.summary(), str(exc))
        if debug:
            raise
        raise click.UsageError(str(exc)) from exc
    except OutputError as exc:  # OUTPUT not writable, full or busy: the batch's end, said plainly
        batch.unwritten(str(exc))
    except Exception as exc:  # the tool's own failure: say so, and how to report it; never a usage error
        message = (f"本工具内部出错，未能完成（{type(exc).__name__}: {exc}）；已写出的文件都是完整的。"
                   "请加 --debug 重新运行，把输出和所用文件发给维护人员")
        reporter.abort(batch.summary(), message)
        if debug:
            raise
        raise InternalError(message) from exc
    except KeyboardInterrupt:
        reporter.abort(batch.summary(), "已中断")
        click.echo("已中断：已完成的项目的输出完整保留，未完成的没有留下半个文件；再次运行会跳过已完成且未改动的项目。",
                   err=True)
        ctx.exit(130)
    finally:
        signal.signal(signal.SIGTERM, previous)
    for note in batch.notes:
        click.echo(f"错误：{note}", err=True)
    last = summary_line(batch.summary())
    reporter.finish(batch.summary(), last)
    if quiet and not as_json:
        click.echo(last)
    elif footer:
        click.echo(footer)
    logging.getLogger("reportlib").info("%s", last)
    ctx.exit(batch.exit_code)


@click.group()
@click.version_option(__version__)
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈。")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """绩效表格校核：校核预算绩效评价报告的 Excel 附件（问卷统计表、指标体系评分表、资金使用情况表）。"""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出一个 JSON 对象（字段见 README），而不是表格。")
@scheme_options
@batch_options
@click.pass_context
def check(ctx, paths, as_json, schemas, option_weights, question_points, grade_bands, jobs, quiet, log_file):
    """校核文件或文件夹（递归），不修改任何文件。

    退出码：0 无错误；1 有错误类发现（表格需要更正，运行本身已完成）；2 有文件无法读取、输出未能写出或命令用法错误。
    """
    config = _config(option_weights, question_points, grade_bands, schemas=schemas)
    jobs = jobs or default_jobs()
    _execute(ctx, lambda batch: batches.check(paths, config, jobs=jobs, batch=batch), as_json, quiet, log_file)


@cli.command()
@click.argument("inbox", required=False, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="输出文件夹，默认 output/。")
@click.option("--template", "template_dir", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=None, help="报告草稿模板所在文件夹（报告草稿.docx、报告草稿.md.j2），"
                                 "可复制 input_templates/报告模板/ 后修改；缺少的文件用自带模板。")
@click.option("--force", is_flag=True, help="全部重新处理，不沿用上次运行中未改动项目的结果。")
@click.option("--evaluation", is_flag=True, help="第三方评价：报告草稿题为“…绩效评价报告”，而不是“…绩效自评报告”。")
@scheme_options
@batch_options
@click.pass_context
def run(ctx, inbox, output, template_dir, force, evaluation, schemas, option_weights, question_points, grade_bands, jobs,
        quiet, log_file):
    """处理 INBOX（默认为自带示例）下的所有项目：每个项目写出校核后的工作簿、报告草稿和 findings.json，
    再写出 汇总.xlsx 和总的 findings.json。

    输入文件、工具版本、schemas 和选项都未改变的项目沿用上次的结果（OUTPUT/.manifest.json），
    --force 全部重做。同一输出文件夹同时只能有一次运行。退出码与 check 相同。输入文件从不被修改、移动或覆盖。
    """
    config = _config(option_weights, question_points, grade_bands, evaluation, schemas)
    inbox = inbox or DEFAULT_INBOX
    output = output or DEFAULT_OUTPUT
    jobs = jobs or default_jobs()
    _execute(ctx, lambda batch: batches.run(inbox, output, config, template_dir, jobs=jobs, force=force, batch=batch),
             False, quiet, log_file, output_root=output,
             footer=f"结果已写入 {output}（每个项目一个文件夹：校核后的工作簿、报告草稿、findings.json；汇总.xlsx）")


@cli.command()
@click.argument("inbox", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="输出文件夹，默认 output/；可以位于 INBOX 之内。")
@click.option("--template", "template_dir", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=None, help="报告草稿模板所在文件夹，同 run。")
@click.option("--settle", type=click.FloatRange(min=0.1), default=2.0, show_default=True, metavar="秒",
              help="文件大小和修改时间保持不变多少秒后才处理（等待复制或保存完成）。")
@click.option("--poll", type=click.FloatRange(min=0.1), default=None, metavar="秒",
              help="改为每隔若干秒轮询一次；用于网络共享文件夹（SMB/NFS 不发送文件变动通知）。")
@click.option("--evaluation", is_flag=True, help="第三方评价：报告草稿题为“…绩效评价报告”，同 run。")
@scheme_options
@batch_options
@click.pass_context
def watch(ctx, inbox, output, template_dir, settle, poll, evaluation, schemas, option_weights, question_points, grade_bands,
          jobs, quiet, log_file):
    """监视 INBOX：有人放入或替换工作簿、且文件写完后，重新处理其所在项目，每个文件记一行日志。

    先处理一遍已有的文件。忽略 Office 锁文件、临时文件、隐藏文件和 OUTPUT 中的文件。
    Ctrl-C 或 SIGTERM 停止：正在写的输出不会留下半个文件。
    """
    from reportlib.watch import watch as watch_folder

    config = _config(option_weights, question_points, grade_bands, evaluation, schemas)
    setup_logging(quiet, log_file, ctx.obj["debug"], sys.stderr)
    events = logging.getLogger("reportlib.events")  # the event lines: on stdout, and into --log-file
    events.propagate = False
    events.handlers = []
    if log_file:  # each event line carries its own time stamp: written as it is
        plain = logging.FileHandler(log_file, encoding="utf-8")
        plain.setFormatter(logging.Formatter("%(message)s"))
        events.addHandler(plain)

    def line(text: str) -> None:
        events.info("%s", text)
        if not quiet:
            click.echo(text)

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        watch_folder(inbox, output or DEFAULT_OUTPUT, config, template_dir, jobs=jobs or default_jobs(),
                     settle=settle, poll=poll, on_line=line)
    except KeyboardInterrupt:
        line(f"{time.strftime('%Y-%m-%d %H:%M:%S')}  已停止监视")
    ctx.exit(0)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    cli()
