from tests.conftest import EXAMPLES

EV = EXAMPLES / "evaluation"


def test_logic_model_for_the_canvas_design(client):
    r = client.get("/evaluate?v=1&n=Ladder&cu=EUR&mf=tiered_ladder&co=delegated_funder&rt=sunset")
    assert r.status_code == 200
    text = r.text.lower()
    assert "promotion" in text and "leverage" in text and "self-generated" in text


def test_upload_and_estimate(client):
    with open(EV / "firm_panel.csv", "rb") as fp, open(EV / "treatment.csv", "rb") as tr:
        r = client.post("/ui/evaluate", files={"firm_panel": ("firm_panel.csv", fp, "text/csv"),
                                               "treatment": ("treatment.csv", tr, "text/csv")},
                        data={"outcome": "log_rd", "method": "cs"})
    assert r.status_code == 200, r.text[-500:]
    assert 'data-testid="att"' in r.text and "Identifying assumption" in r.text and "<svg" in r.text


def test_bad_upload_names_row_and_column(client):
    bad = b"firm_id,year,log_rd\nF1,2010,1.0\nF1,twenty,2.0\n"
    with open(EV / "treatment.csv", "rb") as tr:
        r = client.post("/ui/evaluate", files={"firm_panel": ("mine.csv", bad, "text/csv"),
                                               "treatment": ("treatment.csv", tr, "text/csv")},
                        data={"outcome": "log_rd"})
    assert r.status_code == 422
    assert "mine.csv" in r.text and "year" in r.text and "/tmp" not in r.text


def test_upload_size_limit(client):
    big = b"x" * (9 * 1024 * 1024)
    r = client.post("/ui/evaluate", files={"firm_panel": ("a.csv", big, "text/csv"),
                                           "treatment": ("b.csv", b"firm_id,treatment_year\n", "text/csv")},
                    data={"outcome": "y"})
    assert r.status_code == 413
