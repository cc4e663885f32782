from django.core.management.base import BaseCommand

from visiblework.site.server import serve


class Command(BaseCommand):
    help = "Run the production server (gunicorn). Run `visiblework migrate` first."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--access-log", action="store_true",
                            help="log request lines (without client addresses; paths redacted)")

    def handle(self, *args, bind, workers, threads, access_log, **options):
        serve(bind, workers, threads, access_log=access_log)
