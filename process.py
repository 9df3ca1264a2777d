"""绩效表格校核 command line: ``check`` audits, ``run`` writes corrected workbooks."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from reportlib import __version__, batch as batches
from reportlib.render import render_text
from reportlib.indicators.grades import parse_bands
from reportlib.schema import Config, ConfigError, parse_number_list, parse_option_weights

HERE = Path(__file__).resolve().parent
DEFAULT_INBOX = HERE / "input_templates" / "examples"
DEFAULT_OUTPUT = HERE / "output"


def _config(option_weights: str | None, question_points: str | None, grade_bands: str | None) -> Config:
    try:
        config = Config(
            option_weights=parse_option_weights(option_weights) if option_weights else None,
            question_points=parse_number_list(question_points, "--question-points") if question_points else None,
            grade_bands=grade_bands,
        )
        if grade_bands:
            parse_bands(grade_bands, config.schema("indicators"))  # refuse a bad value before any file is read
        return config
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


def scheme_options(func):
    func = click.option("--grade-bands", metavar="NAME|优:90,良:80,中:60",
                        help="评价等级标准：schemas/indicators.yaml 中的预设名（national、xinjiang-2022），"
                             "或各等级的最低分；覆盖表内说明和默认标准。")(func)
    func = click.option("--question-points", metavar="P1,P2,...",
                        help="题目分值：一个数（每题相同）或每题一个，如 20,10,10,…；覆盖表内推断。")(func)
    func = click.option("--option-weights", metavar="WA,WB,...|NAME",
                        help="选项权重 A..E，如 1,0.8,0.6,0.4,0.2，或 schemas 中的预设名；覆盖表内推断。")(func)
    return func


def _execute(work, debug: bool):
    try:
        return work()
    except (ConfigError, ValueError) as exc:
        if debug:
            raise
        raise click.UsageError(str(exc)) from exc


@click.group()
@click.version_option(__version__)
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈。")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """绩效表格校核：校核预算绩效评价报告的 Excel 附件（问卷统计表、指标体系评分表、资金使用情况表）。"""
    ctx.obj = {"debug": debug}
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, stream=sys.stderr, format="%(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出一个 JSON 对象（字段见 README），而不是表格。")
@scheme_options
@click.pass_context
def check(ctx, paths, as_json, option_weights, question_points, grade_bands):
    """校核文件或文件夹（递归），不修改任何文件。

    退出码：0 无错误；1 有错误类发现；2 有文件无法读取或命令用法错误。
    """
    config = _config(option_weights, question_points, grade_bands)
    result = _execute(lambda: batches.check(paths, config), ctx.obj["debug"])
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result))
    ctx.exit(result.exit_code)


@cli.command()
@click.argument("inbox", required=False, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="输出文件夹，默认 output/。")
@click.option("--template", "template_dir", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=None, help="报告草稿模板所在文件夹（报告草稿.docx、报告草稿.md.j2），"
                                 "可复制 input_templates/报告模板/ 后修改；缺少的文件用自带模板。")
@scheme_options
@click.pass_context
def run(ctx, inbox, output, template_dir, option_weights, question_points, grade_bands):
    """处理 INBOX（默认为自带示例）下的所有项目：每个项目写出校核后的工作簿、报告草稿和 findings.json，
    再写出 汇总.xlsx 和总的 findings.json。

    退出码与 check 相同。输入文件从不被修改、移动或覆盖。
    """
    config = _config(option_weights, question_points, grade_bands)
    inbox = inbox or DEFAULT_INBOX
    output = output or DEFAULT_OUTPUT
    result = _execute(lambda: batches.run(inbox, output, config, template_dir), ctx.obj["debug"])
    click.echo(render_text(result))
    click.echo(f"结果已写入 {output}（每个项目一个文件夹：校核后的工作簿、报告草稿、findings.json；汇总.xlsx）")
    ctx.exit(result.exit_code)


if __name__ == "__main__":
    cli()
