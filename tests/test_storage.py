from itaportal.storage import ThaiFileSystemStorage


def test_it_keeps_thai_file_names_whole(tmp_path):
    storage = ThaiFileSystemStorage(location=tmp_path)
    assert storage.get_valid_name("ครุฑ.png") == "ครุฑ.png"
    assert storage.get_valid_name("ภาพกิจกรรม 1.pdf") == "ภาพกิจกรรม_1.pdf"
    assert storage.get_valid_name("../../etc/passwd") == "etcpasswd"
    assert storage.get_valid_name("<script>.pdf") == "script.pdf"
